"""The sections of a governance file read into facts: the plan, meetings and their approvals,
shareholder votes, quarterly reports, agreements, records, policies."""

from __future__ import annotations

import re
from typing import Any

from distplan.compliance.dates import EARLIEST, LATEST
from distplan.compliance.governance import (
    APPROVAL_KINDS,
    VOTE_MATTERS,
    Agreement,
    Approval,
    ClassFacts,
    FundClass,
    Meeting,
    PlanFacts,
    Policies,
    QuarterlyReport,
    RecordKeeping,
    ShareholderVote,
    Tally,
)
from distplan.compliance.govfields import FieldReader
from distplan.compliance.govyaml import join_path
from distplan.errors import InputError
from distplan.model import N1ACategory, fold_name

SECTIONS: tuple[str, ...] = (
    "plan",
    "meetings",
    "shareholder_votes",
    "quarterly_reports",
    "agreements",
    "records",
    "policies",
)
TOP_KEYS = {"version", *SECTIONS}
QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE | re.ASCII)


class GovernanceReader(FieldReader):
    """The sections of a governance file (docs/governance.md), one method each."""

    def plan(self, value: Any, path: str) -> PlanFacts:
        obj = self.mapping(value, path, ("ref", "title", "adopted", "document", "classes"))
        classes = []
        for i, item in enumerate(self.items(obj, "classes", path)):
            p = f"{path}.classes[{i}]"
            c = self.mapping(item, p, ("class", "fund", "first_offered", "no_load"))
            share_class = self.text(c, "class", p, required=True)
            assert share_class is not None
            classes.append(
                ClassFacts(
                    share_class=share_class,
                    fund=self.text(c, "fund", p),
                    first_offered=self.day(c, "first_offered", p),
                    no_load=bool(self.flag(c, "no_load", p)),
                    where=self.at(p),
                )
            )
        return PlanFacts(
            ref=self.text(obj, "ref", path),
            title=self.text(obj, "title", path),
            adopted=self.day(obj, "adopted", path),
            document=self.text(obj, "document", path),
            classes=tuple(classes),
            where=self.at(path),
        )

    def tally(self, obj: dict[str, Any], key: str, path: str) -> Tally | None:
        if obj.get(key) is None:
            return None
        p = join_path(path, key)
        t = self.mapping(obj[key], p, ("members", "for", "against"))
        members = self.count(t, "members", p, required=True)
        voted_for = self.count(t, "for", p, required=True)
        against = self.count(t, "against", p)
        assert members is not None and voted_for is not None
        if voted_for + (against or 0) > members:
            raise self.fail(p, f"{voted_for} for and {against or 0} against out of {members} members")
        return Tally(members, voted_for, against)

    def scope(self, obj: dict[str, Any], path: str) -> tuple[FundClass, ...] | None:
        default_class = self.text(obj, "class", path)
        value = obj.get("funds")
        if value is None or value == "all":
            # One vote for many funds: every fund of `class`, or of the whole plan.
            return (FundClass(None, default_class),) if default_class else None
        if not isinstance(value, list):
            raise self.fail(join_path(path, "funds"), "expected a list of funds or `all`")
        out = []
        for i, item in enumerate(value):
            p = f"{path}.funds[{i}]"
            if isinstance(item, str):
                if not item.strip():
                    raise self.fail(p, "empty fund name")
                out.append(FundClass(item.strip(), default_class))
                continue
            f = self.mapping(item, p, ("fund", "class"))
            fund = self.text(f, "fund", p)
            share_class = self.text(f, "class", p) or default_class
            if fund is None and share_class is None:
                raise self.fail(p, "name a fund, a class, or both")
            out.append(FundClass(fund, share_class))
        return tuple(out)

    def meeting(self, value: Any, path: str) -> tuple[Meeting, list[Approval]]:
        obj = self.mapping(
            value,
            path,
            ("id", "date", "in_person", "called_for_purpose", "board", "qualified", "minutes", "approvals"),
        )
        day = self.day(obj, "date", path, required=True)
        assert day is not None
        meeting = Meeting(
            id=self.text(obj, "id", path) or f"meeting-{day.isoformat()}",
            date=day,
            in_person=self.flag(obj, "in_person", path),
            called_for_purpose=self.flag(obj, "called_for_purpose", path),
            board=self.tally(obj, "board", path),
            qualified=self.tally(obj, "qualified", path),
            minutes=self.text(obj, "minutes", path),
            where=self.at(path),
        )
        approvals = []
        for i, item in enumerate(self.items(obj, "approvals", path)):
            p = f"{path}.approvals[{i}]"
            a = self.mapping(
                item, p, ("id", "what", "amendment", "effective", "agreement", "class", "funds", "findings")
            )
            what = self.choice(a, "what", p, APPROVAL_KINDS, None)
            amendment = self.count(a, "amendment", p)
            effective = self.day(a, "effective", p)
            agreement = self.text(a, "agreement", p)
            if what == "amendment" and amendment is None and effective is None:
                raise self.fail(
                    p, "an amendment approval names `amendment` (its number) or `effective` (its date)"
                )
            if what == "agreement" and agreement is None:
                raise self.fail(join_path(p, "agreement"), "missing: which agreement was approved")
            findings = a.get("findings") or []
            if not isinstance(findings, list) or not all(isinstance(x, str) for x in findings):
                raise self.fail(join_path(p, "findings"), "expected a list of finding names")
            approvals.append(
                Approval(
                    id=self.text(a, "id", p) or f"{meeting.id}/{i + 1}",
                    meeting=meeting,
                    what=what,
                    amendment=amendment,
                    effective=effective,
                    agreement=agreement,
                    scope=self.scope(a, p),
                    findings=frozenset(findings),
                    where=self.at(p),
                )
            )
        return meeting, approvals

    def vote(self, value: Any, path: str) -> ShareholderVote:
        obj = self.mapping(
            value,
            path,
            (
                "id",
                "date",
                "fund",
                "class",
                "outstanding",
                "present",
                "for",
                "matter",
                "amendment",
                "max_rate",
            ),
        )
        day = self.day(obj, "date", path, required=True)
        fund = self.text(obj, "fund", path, required=True)
        outstanding = self.number(obj, "outstanding", path, required=True)
        present = self.number(obj, "present", path, required=True)
        voted_for = self.number(obj, "for", path, required=True)
        assert day and fund and outstanding is not None and present is not None and voted_for is not None
        if present > outstanding:
            raise self.fail(
                join_path(path, "present"), f"{present} present is more than {outstanding} outstanding"
            )
        if voted_for > present:
            raise self.fail(join_path(path, "for"), f"{voted_for} for is more than {present} present")
        share_class = self.text(obj, "class", path)
        return ShareholderVote(
            id=self.text(obj, "id", path)
            or f"vote-{day.isoformat()}-{fold_name(fund)}-{fold_name(share_class or '')}",
            date=day,
            fund=fund,
            share_class=share_class,
            outstanding=outstanding,
            present=present,
            voted_for=voted_for,
            matter=self.choice(obj, "matter", path, VOTE_MATTERS, "plan"),
            amendment=self.count(obj, "amendment", path),
            max_rate=self.number(obj, "max_rate", path),
            where=self.at(path),
        )

    def report(self, value: Any, path: str) -> QuarterlyReport:
        obj = self.mapping(value, path, ("id", "quarter", "delivered", "reviewed", "spent", "document"))
        quarter = obj.get("quarter")
        match = QUARTER.match(str(quarter).strip()) if isinstance(quarter, str) else None
        if match is None:
            raise self.fail(join_path(path, "quarter"), f"expected a quarter like 2003Q4, got {quarter!r}")
        year, q = int(match.group(1)), int(match.group(2))
        if not EARLIEST.year <= year <= LATEST.year:
            raise self.fail(
                join_path(path, "quarter"),
                f"{quarter!r}: year {year} is not plausible ({EARLIEST.year}-{LATEST.year})",
            )
        spent = []
        if obj.get("spent") is not None:
            p = join_path(path, "spent")
            amounts = self.mapping(obj["spent"], p, [str(k) for k in obj["spent"] or {}])
            for key in amounts:
                try:
                    purpose = N1ACategory.parse(key)  # the one enumeration of purposes
                except InputError as exc:
                    raise self.fail(join_path(p, str(key)), str(exc)) from None
                amount = self.number(amounts, key, p, required=True)
                assert amount is not None
                spent.append((purpose.value, amount))
        delivered = self.day(obj, "delivered", path)
        reviewed = self.day(obj, "reviewed", path)
        if delivered and reviewed and reviewed < delivered:
            raise self.fail(
                join_path(path, "reviewed"), f"reviewed {reviewed} before it was delivered {delivered}"
            )
        return QuarterlyReport(
            id=self.text(obj, "id", path) or f"report-{year}Q{q}",
            year=year,
            quarter=q,
            delivered=delivered,
            reviewed=reviewed,
            spent=tuple(spent),
            document=self.text(obj, "document", path),
            where=self.at(path),
        )

    def agreement(self, value: Any, path: str) -> Agreement:
        obj = self.mapping(
            value,
            path,
            (
                "id",
                "name",
                "parties",
                "effective",
                "written",
                "terminable_without_penalty",
                "notice_days",
                "terminates_on_assignment",
                "terminated",
                "document",
            ),
        )
        name = self.text(obj, "name", path, required=True)
        assert name is not None
        parties = obj.get("parties") or []
        if not isinstance(parties, list) or not all(isinstance(p, str) for p in parties):
            raise self.fail(join_path(path, "parties"), "expected a list of names")
        return Agreement(
            id=self.text(obj, "id", path) or f"agreement-{fold_name(name)}",
            name=name,
            parties=tuple(parties),
            effective=self.day(obj, "effective", path),
            written=self.flag(obj, "written", path),
            without_penalty=self.flag(obj, "terminable_without_penalty", path),
            notice_days=self.count(obj, "notice_days", path),
            terminates_on_assignment=self.flag(obj, "terminates_on_assignment", path),
            terminated=self.day(obj, "terminated", path),
            document=self.text(obj, "document", path),
            where=self.at(path),
        )

    def record(self, value: Any, path: str) -> RecordKeeping:
        obj = self.mapping(value, path, ("id", "document", "dated", "location", "offsite_from", "destroyed"))
        document = self.text(obj, "document", path, required=True)
        dated = self.day(obj, "dated", path, required=True)
        assert document and dated
        return RecordKeeping(
            id=self.text(obj, "id", path) or f"record-{fold_name(document)}-{dated.isoformat()}",
            document=document,
            dated=dated,
            location=self.text(obj, "location", path),
            offsite_from=self.day(obj, "offsite_from", path),
            destroyed=self.day(obj, "destroyed", path),
            where=self.at(path),
        )

    def policies(self, value: Any, path: str) -> Policies:
        obj = self.mapping(value, path, ("directed_brokerage",))
        return Policies(directed_brokerage=self.day(obj, "directed_brokerage", path), where=self.at(path))
