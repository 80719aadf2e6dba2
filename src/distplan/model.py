"""Frozen records shared by every stage: documents, ledger, history, fees, compliance.

An `Instrument` is what one filed document says (a plan, a schedule, an amendment) with the
provenance of every value. Its JSON form is the output of `distplan extract` and an input of
`distplan record`; `instrument_to_json` and `instrument_from_json` are the only (de)serialisers.
Rates are percent per annum as `Decimal` ("0.25" means 0.25% a year), kept exactly as stated.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal, NamedTuple

from distplan.errors import InputError

Kind = Literal["amendment", "schedule", "plan"]
KINDS: tuple[str, ...] = ("amendment", "schedule", "plan")
Level = Literal["info", "warning", "error"]
OPS: tuple[str, ...] = (
    "replace_schedule",
    "add_rows",
    "remove_rows",
    "set_rates",
    "amend_text",
    "terminate",
    "rename_registrant",
    "rename_fund",
)


@dataclass(frozen=True)
class Diagnostic:
    level: Level
    message: str
    line: int | None = None


@dataclass(frozen=True)
class Source:
    path: str
    sha256: str


# --- rates ----------------------------------------------------------------------------------

ZERO_RATE = Decimal(0)
ALLOCATION = "service-first"  # the name of the cap rule's allocation (see Rates)


@dataclass(frozen=True)
class Charged:
    """The two components actually accrued, percent per annum. `inferred` says, when a component
    was not stated and was derived from the aggregate (or the aggregate cut the stated ones),
    how: callers report it as a warning."""

    distribution: Decimal
    service: Decimal
    inferred: str | None = None

    @property
    def total(self) -> Decimal:
        return self.distribution + self.service


@dataclass(frozen=True)
class Rates:
    """A fund-class's Rule 12b-1 rates as stated, percent per annum (`None`: not stated): the
    distribution fee (asset-based sales charge), the service fee and the maximum aggregate fee.

    The cap rule, the one place fees and compliance checks take the rate from (`charged`):

    * The fee never exceeds a stated aggregate, nor a stated component.
    * Allocation, named `service-first` (ALLOCATION): the service fee is charged first, up to its stated
      maximum and the aggregate; the distribution fee takes what the aggregate leaves, up to its
      stated maximum. (Schedules such as Invesco's state a maximum service fee and a maximum
      aggregate with the asset-based charge as the remainder, DOMAIN.md section 0; FINRA Rule
      2341 counts the two against separate caps, so the split matters.)
    * A component not stated, when the aggregate is: the remainder of the aggregate after the
      stated component (an inference, reported). Only the aggregate stated: all of it is
      accrued as distribution (reported). No aggregate: a missing component is 0.
    * An aggregate above distribution + service (both stated) cannot be charged in full: the
      sum of the components is (reported).
    """

    distribution: Decimal | None = None
    service: Decimal | None = None
    aggregate: Decimal | None = None

    @property
    def known(self) -> bool:
        return any(r is not None for r in (self.distribution, self.service, self.aggregate))

    def charged(self) -> Charged | None:
        """The components accrued under the cap rule; None when no rate is stated."""
        d, s, agg = self.distribution, self.service, self.aggregate
        if agg is None:
            if d is None and s is None:
                return None
            return Charged(d or ZERO_RATE, s or ZERO_RATE)
        if d is None and s is None:
            return Charged(
                agg,
                ZERO_RATE,
                f"only the aggregate rate {agg}% is known; accrued as the distribution component",
            )
        if d is None or s is None:
            known = s if d is None else d
            assert known is not None
            stated, rest = min(known, agg), agg - min(known, agg)
            name, other = ("service", "distribution") if d is None else ("distribution", "service")
            note = f"{other} not stated: the aggregate {agg}% less {name} {stated}% = {rest}%"
            return Charged(rest, stated, note) if d is None else Charged(stated, rest, note)
        service = min(s, agg)
        distribution = min(d, agg - service)
        if service + distribution < d + s:
            return Charged(
                distribution,
                service,
                f"distribution {d}% + service {s}% exceed the aggregate {agg}%: charged service "
                f"{service}% first, then distribution {distribution}% ({ALLOCATION})",
            )
        if agg > d + s:
            return Charged(
                d, s, f"the aggregate {agg}% exceeds distribution {d}% + service {s}%: charged their sum"
            )
        return Charged(d, s)

    @property
    def total(self) -> Decimal | None:
        """The annual rate charged (never above a stated aggregate); None when none is stated."""
        charged = self.charged()
        return None if charged is None else charged.total


@dataclass(frozen=True)
class ScheduleRow:
    fund: str
    registrant: str | None = None
    share_class: str | None = None
    distribution_fee: Decimal | None = None
    service_fee: Decimal | None = None
    aggregate_fee: Decimal | None = None
    effective_date: date | None = None
    lines: tuple[int, int] | None = None
    # How sure the extractor is (0-1) and why not (short reasons: "class inferred from title").
    confidence: float = 1.0
    flags: tuple[str, ...] = ()

    @property
    def rates(self) -> Rates:
        return Rates(self.distribution_fee, self.service_fee, self.aggregate_fee)

    @property
    def total_rate(self) -> Decimal | None:
        """The annual rate charged under the cap rule (`Rates.total`)."""
        return self.rates.total

    @property
    def key(self) -> FundClassKey:
        """Identity of a covered fund-class."""
        return FundClassKey.of(self.fund, self.share_class)


@dataclass(frozen=True)
class Schedule:
    label: str
    replaces_entirely: bool
    rows: tuple[ScheduleRow, ...] = ()
    lines: tuple[int, int] | None = None


@dataclass(frozen=True)
class PlanRef:
    title: str | None
    share_classes: tuple[str, ...] = ()
    dated: date | None = None


@dataclass(frozen=True)
class Operation:
    """One change an instrument makes. `rows` for schedule operations; `section`/`text` for
    amend_text; `target`/`new_name` for renames (and `target` for terminate)."""

    op: str
    rows: tuple[ScheduleRow, ...] = ()
    section: str | None = None
    text: str | None = None
    target: str | None = None
    new_name: str | None = None
    lines: tuple[int, int] | None = None


@dataclass(frozen=True)
class Instrument:
    source: Source
    kind: Kind
    title: str
    amendment_number: int | None = None
    plan: PlanRef = field(default_factory=lambda: PlanRef(None))
    effective_date: date | None = None
    dated: date | None = None
    operations: tuple[Operation, ...] = ()
    schedule: Schedule | None = None
    signatories: tuple[str, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    # Where the effective date and the "Dated:" date were read (1-based line numbers).
    effective_date_lines: tuple[int, int] | None = None
    dated_lines: tuple[int, int] | None = None
    confidence: float = 1.0  # the extractor's confidence in the whole document (0-1)

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.level == "error")

    def with_diagnostics(self, *extra: Diagnostic) -> Instrument:
        return replace(self, diagnostics=self.diagnostics + extra)


@dataclass(frozen=True)
class CoveragePeriod:
    """A half-open stretch `[start, end)` in which a fund-class is covered by a plan with the
    same registrant, rates and instrument. History produces these; fees and compliance read them."""

    plan: str
    registrant: str | None
    fund: str
    share_class: str | None
    start: date
    end: date | None
    rate_distribution: Decimal | None
    rate_service: Decimal | None
    rate_aggregate: Decimal | None
    instrument: str

    @property
    def rates(self) -> Rates:
        return Rates(self.rate_distribution, self.rate_service, self.rate_aggregate)

    @property
    def total_rate(self) -> Decimal | None:
        """The annual rate charged under the cap rule (`Rates.total`)."""
        return self.rates.total

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat() if self.end else None,
            "registrant": self.registrant,
            "fund": self.fund,
            "share_class": self.share_class,
            "rates": {
                "distribution_fee": _rate(self.rate_distribution),
                "service_fee": _rate(self.rate_service),
                "aggregate_fee": _rate(self.rate_aggregate),
            },
            "instrument": self.instrument,
        }


# --- names ----------------------------------------------------------------------------------

_PUNCT = re.compile(r"[^\w\s&]")
_SPACE = re.compile(r"\s+")


def fold_name(name: str) -> str:
    """Compare names case-insensitively with punctuation and spacing folded."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = text.replace("\u2019", "'").replace("\u00ae", "").replace("\u2122", "")
    text = _PUNCT.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


_CLASS_WORDS = re.compile(r"\b(?:class(?:es)?|shares?)\b")


def fold_class(share_class: str | None) -> str:
    """A share class as compared: "Investor Class Shares", "Investor" and "investor class" are
    one class; so are "Class A", "A Shares" and "A". No class is ""."""
    if not share_class:
        return ""
    return " ".join(_CLASS_WORDS.sub(" ", fold_name(share_class)).split())


class FundClassKey(NamedTuple):
    """The one identity of a fund-class, everywhere (history, fees, NAV files, governance
    facts, checks): the folded fund name and the folded share class. Build it with `of`."""

    fund: str
    share_class: str

    @classmethod
    def of(cls, fund: str, share_class: str | None) -> FundClassKey:
        return cls(fold_name(fund), fold_class(share_class))


# --- Form N-1A Item 19(g) ---------------------------------------------------------------------


class N1ACategory(StrEnum):
    """The Form N-1A Item 19(g)(1) categories of Rule 12b-1 spending, in the form's order: the one
    enumeration for expense files, governance reports and the rulebook. The value is the one
    spelling distplan writes; `parse` also reads the spellings listed in `_ALIASES` and any
    variant in case, spacing, hyphens, "&"/"and" and a leading "compensation to"."""

    ADVERTISING = "advertising"
    PRINTING_AND_MAILING = "printing_and_mailing"  # of prospectuses to other than current shareholders
    UNDERWRITERS = "underwriters"  # compensation to underwriters
    BROKER_DEALERS = "broker_dealers"  # compensation to broker-dealers
    SALES_PERSONNEL = "sales_personnel"  # compensation to sales personnel
    FINANCING = "financing"  # interest, carrying or other financing charges
    OTHER = "other"  # other (specify)

    @classmethod
    def parse(cls, text: object) -> N1ACategory:
        """The category a spelling names; InputError (with a suggestion) for anything else."""
        found = _CATEGORY_SPELLINGS.get(_category_form(str(text)))
        if found is not None:
            return found
        listed = ", ".join(c.value for c in cls)
        hint = suggest(str(text), [*(c.value for c in cls), *_ALIASES])
        hint = f" (did you mean {_ALIASES.get(hint, hint)!r}?)" if hint else ""
        raise InputError(f"{text!r} is not a Form N-1A Item 19(g) category{hint}; expected one of {listed}")


_ALIASES: dict[str, str] = {
    "printing_mailing": "printing_and_mailing",  # the expenses CSV's spelling before 2026-12
    "printing": "printing_and_mailing",
    "mailing": "printing_and_mailing",
    "dealers": "broker_dealers",
    "brokers": "broker_dealers",
    "sales_staff": "sales_personnel",
    "interest": "financing",
    "interest_carrying_or_other_financing_charges": "financing",
    "financing_charges": "financing",
}
_FILLER = {"and", "compensation", "to", "of", "the"}


def _category_form(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKC", text).casefold())
    return "_".join(w for w in words if w not in _FILLER)


_CATEGORY_SPELLINGS: dict[str, N1ACategory] = {
    **{_category_form(alias): N1ACategory(value) for alias, value in _ALIASES.items()},
    **{_category_form(c.value): c for c in N1ACategory},
}


def suggest(text: str, choices: list[str], cutoff: float = 75.0) -> str | None:
    """The choice closest to `text` for "did you mean" hints (rapidfuzz's plain ratio on the
    folded names: a shared word such as "Fund" alone is no match); None if none is close."""
    from rapidfuzz import fuzz, process

    best = process.extractOne(text, choices, scorer=fuzz.ratio, processor=fold_name, score_cutoff=cutoff)
    return None if best is None else str(best[0])


# --- JSON -----------------------------------------------------------------------------------


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _rate(value: Decimal | None) -> str | None:
    return str(value) if value is not None else None


def _lines(value: tuple[int, int] | None) -> list[int] | None:
    return list(value) if value is not None else None


def row_to_json(row: ScheduleRow) -> dict[str, Any]:
    return {
        "registrant": row.registrant,
        "fund": row.fund,
        "share_class": row.share_class,
        "distribution_fee": _rate(row.distribution_fee),
        "service_fee": _rate(row.service_fee),
        "aggregate_fee": _rate(row.aggregate_fee),
        "total_rate": _rate(row.total_rate),
        "effective_date": _iso(row.effective_date),
        "lines": _lines(row.lines),
        "confidence": row.confidence,
        "flags": list(row.flags),
    }


def operation_to_json(op: Operation) -> dict[str, Any]:
    out: dict[str, Any] = {"op": op.op}
    if op.rows:
        out["rows"] = [row_to_json(r) for r in op.rows]
    for name in ("section", "text", "target", "new_name"):
        value = getattr(op, name)
        if value is not None:
            out[name] = value
    if op.lines is not None:
        out["lines"] = list(op.lines)
    return out


def instrument_to_json(inst: Instrument) -> dict[str, Any]:
    schedule = None
    if inst.schedule is not None:
        schedule = {
            "label": inst.schedule.label,
            "replaces_entirely": inst.schedule.replaces_entirely,
            "rows": [row_to_json(r) for r in inst.schedule.rows],
            "lines": _lines(inst.schedule.lines),
        }
    return {
        "source": {"path": inst.source.path, "sha256": inst.source.sha256},
        "kind": inst.kind,
        "title": inst.title,
        "amendment_number": inst.amendment_number,
        "plan": {
            "title": inst.plan.title,
            "share_classes": list(inst.plan.share_classes),
            "dated": _iso(inst.plan.dated),
        },
        "effective_date": _iso(inst.effective_date),
        "effective_date_lines": _lines(inst.effective_date_lines),
        "dated": _iso(inst.dated),
        "dated_lines": _lines(inst.dated_lines),
        "operations": [operation_to_json(op) for op in inst.operations],
        "schedule": schedule,
        "signatories": list(inst.signatories),
        "diagnostics": [{"level": d.level, "line": d.line, "message": d.message} for d in inst.diagnostics],
        "confidence": inst.confidence,
    }


class _Reader:
    """Reads a JSON instrument, naming the field of the first problem."""

    def __init__(self, where: str) -> None:
        self.where = where

    def fail(self, path: str, why: str) -> InputError:
        return InputError(f"{self.where}: field {path}: {why}")

    def opt_str(self, obj: dict[str, Any], key: str, path: str) -> str | None:
        value = obj.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.fail(f"{path}.{key}", f"expected a string, got {type(value).__name__}")
        return value

    def opt_date(self, obj: dict[str, Any], key: str, path: str) -> date | None:
        value = self.opt_str(obj, key, path)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.fail(f"{path}.{key}", f"not an ISO date: {value!r}") from None

    def opt_rate(self, obj: dict[str, Any], key: str, path: str) -> Decimal | None:
        value = obj.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise self.fail(f"{path}.{key}", 'expected a decimal string such as "0.25"')
        # Plain digits only; the range is checked where instruments are recorded, so stored
        # payloads stay readable whatever the rules become.
        from distplan.validation import parse_plain_decimal

        return parse_plain_decimal(str(value), f"{self.where}: field {path}.{key}")

    def opt_lines(self, obj: dict[str, Any], key: str, path: str) -> tuple[int, int] | None:
        value = obj.get(key)
        if value is None:
            return None
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        ):
            raise self.fail(f"{path}.{key}", "expected [first, last] line numbers")
        return (value[0], value[1])

    def opt_confidence(self, obj: dict[str, Any], path: str) -> float:
        value = obj.get("confidence", 1.0)
        if value is None:
            return 1.0
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise self.fail(f"{path}.confidence", "expected a number from 0 to 1")
        return float(value)

    def opt_flags(self, obj: dict[str, Any], path: str) -> tuple[str, ...]:
        value = obj.get("flags") or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{path}.flags", "expected a list of strings")
        return tuple(value)

    def row(self, obj: Any, path: str) -> ScheduleRow:
        if not isinstance(obj, dict):
            raise self.fail(path, "expected an object")
        fund = self.opt_str(obj, "fund", path)
        if not fund or not fund.strip():
            raise self.fail(f"{path}.fund", "missing")
        return ScheduleRow(
            fund=fund.strip(),
            registrant=self.opt_str(obj, "registrant", path),
            share_class=self.opt_str(obj, "share_class", path),
            distribution_fee=self.opt_rate(obj, "distribution_fee", path),
            service_fee=self.opt_rate(obj, "service_fee", path),
            aggregate_fee=self.opt_rate(obj, "aggregate_fee", path),
            effective_date=self.opt_date(obj, "effective_date", path),
            lines=self.opt_lines(obj, "lines", path),
            confidence=self.opt_confidence(obj, path),
            flags=self.opt_flags(obj, path),
        )

    def rows(self, obj: dict[str, Any], path: str) -> tuple[ScheduleRow, ...]:
        value = obj.get("rows") or []
        if not isinstance(value, list):
            raise self.fail(f"{path}.rows", "expected a list")
        return tuple(self.row(r, f"{path}.rows[{i}]") for i, r in enumerate(value))


def instrument_from_json(data: Any, where: str = "<json>") -> Instrument:
    """Build an Instrument from `distplan extract` JSON; raises InputError naming the field."""
    rd = _Reader(where)
    if not isinstance(data, dict):
        raise rd.fail("(top)", "expected a JSON object")
    kind = data.get("kind")
    if kind not in KINDS:
        raise rd.fail("kind", f"expected one of {', '.join(KINDS)}, got {kind!r}")
    src = data.get("source") or {}
    if not isinstance(src, dict):
        raise rd.fail("source", "expected an object")
    plan = data.get("plan") or {}
    if not isinstance(plan, dict):
        raise rd.fail("plan", "expected an object")
    classes = plan.get("share_classes") or []
    if not isinstance(classes, list) or not all(isinstance(c, str) for c in classes):
        raise rd.fail("plan.share_classes", "expected a list of strings")
    number = data.get("amendment_number")
    if number is not None and (not isinstance(number, int) or isinstance(number, bool)):
        raise rd.fail("amendment_number", "expected an integer or null")
    schedule = None
    sched = data.get("schedule")
    if sched is not None:
        if not isinstance(sched, dict):
            raise rd.fail("schedule", "expected an object")
        schedule = Schedule(
            label=rd.opt_str(sched, "label", "schedule") or "Schedule A",
            replaces_entirely=bool(sched.get("replaces_entirely", True)),
            rows=rd.rows(sched, "schedule"),
            lines=rd.opt_lines(sched, "lines", "schedule"),
        )
    ops_data = data.get("operations") or []
    if not isinstance(ops_data, list):
        raise rd.fail("operations", "expected a list")
    operations = []
    for i, op in enumerate(ops_data):
        path = f"operations[{i}]"
        if not isinstance(op, dict) or op.get("op") not in OPS:
            raise rd.fail(f"{path}.op", f"expected one of {', '.join(OPS)}")
        operations.append(
            Operation(
                op=op["op"],
                rows=rd.rows(op, path),
                section=rd.opt_str(op, "section", path),
                text=rd.opt_str(op, "text", path),
                target=rd.opt_str(op, "target", path),
                new_name=rd.opt_str(op, "new_name", path),
                lines=rd.opt_lines(op, "lines", path),
            )
        )
    sigs = data.get("signatories") or []
    if not isinstance(sigs, list) or not all(isinstance(s, str) for s in sigs):
        raise rd.fail("signatories", "expected a list of strings")
    diags = []
    diag_data = data.get("diagnostics") or []
    if not isinstance(diag_data, list):
        raise rd.fail("diagnostics", "expected a list")
    for i, d in enumerate(diag_data):
        if not isinstance(d, dict) or d.get("level") not in ("info", "warning", "error"):
            raise rd.fail(f"diagnostics[{i}]", "expected {level, line, message}")
        line = d.get("line")
        diags.append(
            Diagnostic(d["level"], str(d.get("message", "")), line if isinstance(line, int) else None)
        )
    return Instrument(
        source=Source(path=str(src.get("path") or where), sha256=str(src.get("sha256") or "")),
        kind=kind,
        title=rd.opt_str(data, "title", "") or "",
        amendment_number=number,
        plan=PlanRef(
            title=rd.opt_str(plan, "title", "plan"),
            share_classes=tuple(classes),
            dated=rd.opt_date(plan, "dated", "plan"),
        ),
        effective_date=rd.opt_date(data, "effective_date", ""),
        dated=rd.opt_date(data, "dated", ""),
        operations=tuple(operations),
        schedule=schedule,
        signatories=tuple(sigs),
        diagnostics=tuple(diags),
        effective_date_lines=rd.opt_lines(data, "effective_date_lines", ""),
        dated_lines=rd.opt_lines(data, "dated_lines", ""),
        confidence=rd.opt_confidence(data, ""),
    )
