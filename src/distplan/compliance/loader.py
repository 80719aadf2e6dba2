"""Read a governance file (YAML or JSON) into `GovernanceFacts`, naming file, line and field of
the first problem; and turn facts into ledger payloads and back.

The file format is documented in docs/governance.md. Payloads (one per fact: the plan, a
meeting with its approvals, a shareholder vote, a report, an agreement, a record, the policies)
are the same items in the file's own format plus their source, so one reader parses both.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from distplan.compliance import yamlsafe
from distplan.compliance.dates import EARLIEST, LATEST
from distplan.compliance.governance import (
    APPROVAL_KINDS,
    VOTE_MATTERS,
    Agreement,
    Approval,
    ClassFacts,
    FundClass,
    GovernanceFacts,
    Meeting,
    PlanFacts,
    Policies,
    QuarterlyReport,
    RecordKeeping,
    ShareholderVote,
    Tally,
    Where,
)
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
_TOP_KEYS = {"version", *SECTIONS}
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE | re.ASCII)


# --- YAML with line numbers ----------------------------------------------------------------


def _compose(text: str, where: str) -> tuple[Any, dict[str, int]]:
    """Parse YAML keeping the 1-based line of every field (dotted path -> line), within the
    limits of `yamlsafe` (size, depth, aliases and what they expand to)."""
    node = yamlsafe.compose(text, where)
    if node is not None:
        yamlsafe.check_expansion(node, where, cycles=True)  # walk() names the field of a cycle
    lines: dict[str, int] = {}
    constructor = yaml.constructor.SafeConstructor()

    open_nodes: set[int] = set()

    def walk(n: yaml.Node, path: str) -> Any:
        lines[path] = n.start_mark.line + 1
        if isinstance(n, yaml.MappingNode | yaml.SequenceNode):
            if id(n) in open_nodes:  # an alias to an enclosing node: a cycle
                raise InputError(f"{where}:{lines[path]}: {path or '(top)'}: refers to itself (YAML alias)")
            open_nodes.add(id(n))
            try:
                return walk_collection(n, path)
            finally:
                open_nodes.discard(id(n))
        try:
            value = constructor.construct_object(n)
        except (yaml.YAMLError, ValueError):
            return n.value  # e.g. a date-like 2003-13-21: the field's reader reports it
        # YAML floats lose exactness: keep the written digits for money and share counts.
        return Decimal(n.value) if isinstance(value, float) and _is_decimal(n.value) else value

    def walk_collection(n: yaml.Node, path: str) -> Any:
        if isinstance(n, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in n.value:
                key = constructor.construct_object(key_node)
                if not isinstance(key, str):
                    raise InputError(
                        f"{where}:{key_node.start_mark.line + 1}: {path or '(top)'}: keys must be names"
                    )
                if key in out:
                    raise InputError(
                        f"{where}:{key_node.start_mark.line + 1}: {_join(path, key)}: given twice"
                    )
                out[key] = walk(value_node, _join(path, key))
            return out
        return [walk(item, f"{path}[{i}]") for i, item in enumerate(n.value)]

    if node is None:
        return None, lines
    try:
        return walk(node, ""), lines
    except RecursionError:  # aliases of aliases can nest deeper than the file does
        raise InputError(f"{where}: refused: nested too deep (through aliases)") from None


def _is_decimal(text: str) -> bool:
    try:
        return Decimal(text).is_finite()
    except InvalidOperation:
        return False


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


# --- the reader ----------------------------------------------------------------------------


class _Reader:
    def __init__(self, where: str, lines: dict[str, int]) -> None:
        self.where = where
        self.lines = lines

    def line(self, path: str) -> int | None:
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""

    def at(self, path: str) -> Where:
        return Where(self.where, self.line(path))

    def fail(self, path: str, why: str) -> InputError:
        line = self.line(path)
        place = f"{self.where}:{line}" if line is not None else self.where
        return InputError(f"{place}: {path or '(top)'}: {why}")

    # scalar readers: `obj[key]` at `path.key`

    def mapping(self, value: Any, path: str, allowed: Iterable[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, f"expected a mapping, got {_kind(value)}")
        allowed = set(allowed)
        for key in value:
            if key not in allowed:
                raise self.fail(
                    _join(path, key), f"unknown field (expected one of: {', '.join(sorted(allowed))})"
                )
        return value

    def items(self, obj: dict[str, Any], key: str, path: str) -> list[Any]:
        value = obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(_join(path, key), f"expected a list, got {_kind(value)}")
        return value

    def text(self, obj: dict[str, Any], key: str, path: str, *, required: bool = False) -> str | None:
        value = obj.get(key)
        if value is None:
            if required:
                raise self.fail(_join(path, key), "missing")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            raise self.fail(_join(path, key), f"expected text, got {_kind(value)}")
        text = str(value).strip()
        if required and not text:
            raise self.fail(_join(path, key), "empty")
        return text or None

    def day(self, obj: dict[str, Any], key: str, path: str, *, required: bool = False) -> date | None:
        value = obj.get(key)
        if value is None:
            if required:
                raise self.fail(_join(path, key), "missing")
            return None
        if isinstance(value, datetime):
            raise self.fail(_join(path, key), "expected a date (YYYY-MM-DD), not a timestamp")
        day = value if isinstance(value, date) else _iso_date(value)
        if day is None:
            raise self.fail(_join(path, key), f"expected a date YYYY-MM-DD, got {value!r}")
        if not EARLIEST <= day <= LATEST:
            raise self.fail(_join(path, key), f"{day}: not a plausible date ({EARLIEST} to {LATEST})")
        return day

    def flag(self, obj: dict[str, Any], key: str, path: str) -> bool | None:
        value = obj.get(key)
        if value is None or isinstance(value, bool):
            return value
        raise self.fail(_join(path, key), f"expected true or false, got {value!r}")

    def count(self, obj: dict[str, Any], key: str, path: str, *, required: bool = False) -> int | None:
        value = obj.get(key)
        if value is None:
            if required:
                raise self.fail(_join(path, key), "missing")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(_join(path, key), f"expected a whole number >= 0, got {value!r}")
        return value

    def number(self, obj: dict[str, Any], key: str, path: str, *, required: bool = False) -> Decimal | None:
        value = obj.get(key)
        if value is None:
            if required:
                raise self.fail(_join(path, key), "missing")
            return None
        if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
            raise self.fail(_join(path, key), f"expected a number, got {_kind(value)}")
        text = str(value).strip().replace(",", "").rstrip("%").strip()
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise self.fail(_join(path, key), f"not a number: {value!r}") from None
        if not number.is_finite() or number < 0:
            raise self.fail(_join(path, key), f"expected a number >= 0, got {value!r}")
        return number

    def choice(
        self, obj: dict[str, Any], key: str, path: str, options: tuple[str, ...], default: str | None
    ) -> str:
        value = obj.get(key, default)
        if value not in options:
            raise self.fail(_join(path, key), f"expected one of {', '.join(options)}, got {value!r}")
        return str(value)

    # sections

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
        p = _join(path, key)
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
            raise self.fail(_join(path, "funds"), "expected a list of funds or `all`")
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
                raise self.fail(_join(p, "agreement"), "missing: which agreement was approved")
            findings = a.get("findings") or []
            if not isinstance(findings, list) or not all(isinstance(x, str) for x in findings):
                raise self.fail(_join(p, "findings"), "expected a list of finding names")
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
                _join(path, "present"), f"{present} present is more than {outstanding} outstanding"
            )
        if voted_for > present:
            raise self.fail(_join(path, "for"), f"{voted_for} for is more than {present} present")
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
        match = _QUARTER.match(str(quarter).strip()) if isinstance(quarter, str) else None
        if match is None:
            raise self.fail(_join(path, "quarter"), f"expected a quarter like 2003Q4, got {quarter!r}")
        year, q = int(match.group(1)), int(match.group(2))
        if not EARLIEST.year <= year <= LATEST.year:
            raise self.fail(
                _join(path, "quarter"),
                f"{quarter!r}: year {year} is not plausible ({EARLIEST.year}-{LATEST.year})",
            )
        spent = []
        if obj.get("spent") is not None:
            p = _join(path, "spent")
            amounts = self.mapping(obj["spent"], p, [str(k) for k in obj["spent"] or {}])
            for key in amounts:
                try:
                    purpose = N1ACategory.parse(key)  # the one enumeration of purposes
                except InputError as exc:
                    raise self.fail(_join(p, str(key)), str(exc)) from None
                amount = self.number(amounts, key, p, required=True)
                assert amount is not None
                spent.append((purpose.value, amount))
        delivered = self.day(obj, "delivered", path)
        reviewed = self.day(obj, "reviewed", path)
        if delivered and reviewed and reviewed < delivered:
            raise self.fail(
                _join(path, "reviewed"), f"reviewed {reviewed} before it was delivered {delivered}"
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
            raise self.fail(_join(path, "parties"), "expected a list of names")
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


def _iso_date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


# --- entry points ----------------------------------------------------------------------------


def parse_governance(data: Any, where: str, lines: dict[str, int] | None = None) -> GovernanceFacts:
    """Facts from an already-parsed document (a mapping of the sections)."""
    rd = _Reader(where, lines or {})
    if data is None:
        raise rd.fail("", "the governance file is empty")
    top = rd.mapping(data, "", _TOP_KEYS)
    version = top.get("version", 1)
    if version != 1:
        raise rd.fail("version", f"unsupported version {version!r} (this distplan reads version 1)")
    meetings, approvals = [], []
    for i, item in enumerate(rd.items(top, "meetings", "")):
        meeting, items = rd.meeting(item, f"meetings[{i}]")
        meetings.append(meeting)
        approvals.extend(items)
    _unique(rd, "meetings", [m.id for m in meetings])
    facts = GovernanceFacts(
        plan=rd.plan(top["plan"], "plan") if top.get("plan") is not None else None,
        meetings=tuple(meetings),
        approvals=tuple(approvals),
        shareholder_votes=tuple(
            rd.vote(v, f"shareholder_votes[{i}]")
            for i, v in enumerate(rd.items(top, "shareholder_votes", ""))
        ),
        reports=tuple(
            rd.report(r, f"quarterly_reports[{i}]")
            for i, r in enumerate(rd.items(top, "quarterly_reports", ""))
        ),
        agreements=tuple(
            rd.agreement(a, f"agreements[{i}]") for i, a in enumerate(rd.items(top, "agreements", ""))
        ),
        records=tuple(rd.record(r, f"records[{i}]") for i, r in enumerate(rd.items(top, "records", ""))),
        policies=rd.policies(top["policies"], "policies") if top.get("policies") is not None else None,
    )
    _unique(rd, "shareholder_votes", [v.id for v in facts.shareholder_votes])
    _unique(rd, "quarterly_reports", [r.id for r in facts.reports])
    _unique(rd, "agreements", [a.id for a in facts.agreements])
    return facts


def _unique(rd: _Reader, section: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for i, fact_id in enumerate(ids):
        if fact_id in seen:
            raise rd.fail(f"{section}[{i}]", f"a second entry with id {fact_id!r} (give each an `id`)")
        seen.add(fact_id)


def read_governance_text(text: str, where: str) -> tuple[Any, dict[str, int]]:
    """Parse YAML or JSON text into plain data plus the line of every field."""
    yamlsafe.check_size(len(text.encode("utf-8", "surrogatepass")), where)
    stripped = text.lstrip()
    if where.lower().endswith(".json") or stripped.startswith("{"):
        try:
            data = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}:{exc.lineno}: not valid JSON: {exc.msg}") from None
        except RecursionError:
            raise InputError(f"{where}: refused: nested too deep") from None
        try:
            _, lines = _compose(text, where)  # JSON is (nearly) YAML: reuse it for line numbers
        except InputError:
            lines = {}
        return data, lines
    return _compose(text, where)


def load_governance(path: str | Path) -> GovernanceFacts:
    """Read a governance file (.yaml, .yml or .json); InputError names file:line: field."""
    p = Path(path)
    text = yamlsafe.decode(yamlsafe.read_bounded(p, "a governance file"), str(p))
    data, lines = read_governance_text(text, str(p))
    return parse_governance(data, str(p), lines)


def is_governance_document(data: Any) -> bool:
    """True for a parsed JSON/YAML document in the governance format (not an instrument)."""
    return isinstance(data, dict) and "kind" not in data and bool(set(data) & set(SECTIONS))


# --- ledger payloads -------------------------------------------------------------------------


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _tally_doc(t: Tally | None) -> dict[str, Any] | None:
    if t is None:
        return None
    out: dict[str, Any] = {"members": t.members, "for": t.voted_for}
    if t.against is not None:
        out["against"] = t.against
    return out


def _scope_doc(scope: tuple[FundClass, ...] | None) -> Any:
    if scope is None:
        return "all"
    return [
        {k: v for k, v in (("fund", fc.fund), ("class", fc.share_class)) if v is not None} for fc in scope
    ]


def _clean(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if v is not None and v != [] and v != {}}


def _docs(facts: GovernanceFacts) -> list[tuple[str, str, dict[str, Any], Where, date | None]]:
    """(section, id, item in file format, where, effective date) for every fact."""
    out: list[tuple[str, str, dict[str, Any], Where, date | None]] = []
    if facts.plan is not None:
        p = facts.plan
        classes = [
            _clean(
                {
                    "class": c.share_class,
                    "fund": c.fund,
                    "first_offered": _iso(c.first_offered),
                    "no_load": c.no_load or None,
                }
            )
            for c in p.classes
        ]
        doc: dict[str, Any] = {
            "ref": p.ref,
            "title": p.title,
            "adopted": _iso(p.adopted),
            "document": p.document,
            "classes": classes,
        }
        out.append(("plan", "plan", _clean(doc), p.where, p.adopted))
    for m in facts.meetings:
        approvals = [
            _clean(
                {
                    "id": a.id,
                    "what": a.what,
                    "amendment": a.amendment,
                    "effective": _iso(a.effective),
                    "agreement": a.agreement,
                    "funds": _scope_doc(a.scope),
                    "findings": sorted(a.findings),
                }
            )
            for a in facts.approvals
            if a.meeting.id == m.id
        ]
        doc = {
            "id": m.id,
            "date": m.date.isoformat(),
            "in_person": m.in_person,
            "called_for_purpose": m.called_for_purpose,
            "board": _tally_doc(m.board),
            "qualified": _tally_doc(m.qualified),
            "minutes": m.minutes,
            "approvals": approvals,
        }
        out.append(("meetings", m.id, _clean(doc), m.where, m.date))
    for v in facts.shareholder_votes:
        doc = {
            "id": v.id,
            "date": v.date.isoformat(),
            "fund": v.fund,
            "class": v.share_class,
            "outstanding": str(v.outstanding),
            "present": str(v.present),
            "for": str(v.voted_for),
            "matter": v.matter,
            "amendment": v.amendment,
            "max_rate": str(v.max_rate) if v.max_rate is not None else None,
        }
        out.append(("shareholder_votes", v.id, _clean(doc), v.where, v.date))
    for r in facts.reports:
        doc = {
            "id": r.id,
            "quarter": r.label,
            "delivered": _iso(r.delivered),
            "reviewed": _iso(r.reviewed),
            "spent": {k: str(v) for k, v in r.spent},
            "document": r.document,
        }
        out.append(("quarterly_reports", r.id, _clean(doc), r.where, r.reviewed or r.delivered))
    for a in facts.agreements:
        doc = {
            "id": a.id,
            "name": a.name,
            "parties": list(a.parties),
            "effective": _iso(a.effective),
            "written": a.written,
            "terminable_without_penalty": a.without_penalty,
            "notice_days": a.notice_days,
            "terminates_on_assignment": a.terminates_on_assignment,
            "terminated": _iso(a.terminated),
            "document": a.document,
        }
        out.append(("agreements", a.id, _clean(doc), a.where, a.effective))
    for k in facts.records:
        doc = {
            "id": k.id,
            "document": k.document,
            "dated": k.dated.isoformat(),
            "location": k.location,
            "offsite_from": _iso(k.offsite_from),
            "destroyed": _iso(k.destroyed),
        }
        out.append(("records", k.id, _clean(doc), k.where, k.dated))
    if facts.policies is not None:
        doc = {"directed_brokerage": _iso(facts.policies.directed_brokerage)}
        out.append(
            ("policies", "policies", _clean(doc), facts.policies.where, facts.policies.directed_brokerage)
        )
    return out


def governance_payloads(facts: GovernanceFacts) -> list[dict[str, Any]]:
    """One JSON-ready payload per fact, for `ledger.append("governance", plan_id, payload,
    effective_date=payload_effective_date(payload), ...)`. The item is in the file's own format;
    `source` keeps the file and the line of each field."""
    payloads = []
    for section, fact_id, doc, where, _ in _docs(facts):
        source: dict[str, Any] = {"path": where.path, "line": where.line}
        # The lines of the items nested inside this fact, so evidence can point at them.
        nested: list[tuple[str, Where]] = []
        if section == "meetings":
            mine = [a for a in facts.approvals if a.meeting.id == fact_id]
            nested = [(f"approvals[{j}]", a.where) for j, a in enumerate(mine)]
        elif section == "plan" and facts.plan is not None:
            nested = [(f"classes[{j}]", c.where) for j, c in enumerate(facts.plan.classes)]
        lines = {key: w.line for key, w in nested if w.line is not None}
        if lines:
            source["lines"] = lines
        payloads.append({"type": section, "id": fact_id, "item": doc, "source": source})
    return payloads


def payload_effective_date(payload: dict[str, Any]) -> date | None:
    """The date a governance fact speaks for (the meeting, vote or report date)."""
    item = payload.get("item") or {}
    for key in ("date", "reviewed", "delivered", "effective", "dated", "adopted", "directed_brokerage"):
        value = item.get(key)
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                return None
    return None


def governance_from_payloads(items: Iterable[tuple[dict[str, Any], int | None]]) -> GovernanceFacts:
    """Rebuild facts from recorded payloads (each with its ledger seq), oldest first. A later
    payload with the same type and id replaces an earlier one (a correction)."""
    latest: dict[tuple[str, str], tuple[dict[str, Any], int | None]] = {}
    for payload, seq in items:
        key = (str(payload.get("type")), str(payload.get("id")))
        latest.pop(key, None)  # keep insertion order = order of the latest version
        latest[key] = (payload, seq)
    facts = GovernanceFacts()
    for (section, _), (payload, seq) in latest.items():
        source = payload.get("source") or {}
        path = str(source.get("path") or "<ledger>")
        where = f"{path} (entry {seq})" if seq is not None else path
        line = source.get("line") if isinstance(source.get("line"), int) else None
        nested: dict[str, Any] = source["lines"] if isinstance(source.get("lines"), dict) else {}
        one = _parse_item(section, payload.get("item"), where, line, nested)
        facts = facts.merge(_with_seq(one, path, seq))
    return facts


def _parse_item(
    section: str, item: Any, where: str, line: int | None, nested: dict[str, Any]
) -> GovernanceFacts:
    if section not in SECTIONS:
        raise InputError(f"{where}: unknown governance payload type {section!r}")
    base = section if section in ("plan", "policies") else f"{section}[0]"
    lines = {f"{base}.{k}": v for k, v in nested.items() if isinstance(v, int)}
    if line is not None:
        lines[base] = line
    return parse_governance({section: item if base == section else [item]}, where, lines)


def _with_seq(facts: GovernanceFacts, path: str, seq: int | None) -> GovernanceFacts:
    """Point each fact's provenance at its file path (without the entry suffix) and ledger seq."""
    from dataclasses import fields, is_dataclass, replace

    def fix(obj: Any) -> Any:
        if isinstance(obj, Where):
            return Where(path, obj.line, seq)
        if isinstance(obj, tuple):
            return tuple(fix(x) for x in obj)
        if is_dataclass(obj) and not isinstance(obj, type):
            changes = {f.name: fix(getattr(obj, f.name)) for f in fields(obj)}
            return replace(obj, **changes)
        return obj

    result: GovernanceFacts = fix(facts)
    return result
