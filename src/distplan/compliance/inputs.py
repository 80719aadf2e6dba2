"""What the checks read: the plan's instruments, its rates per fund-class over time, the
governance facts and the date. Plain values, so the checks are pure functions of them.

`RatePeriod` is `distplan.model.CoveragePeriod`; `rate_periods_from_instruments`
is a small fold of instruments into such periods for callers without a ledger (tests, what-ifs).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from distplan.compliance.findings import Evidence
from distplan.compliance.governance import GovernanceFacts, Where
from distplan.model import CoveragePeriod, FundClassKey, Instrument, ScheduleRow, fold_name

# The checks read the same record history produces (one definition, in distplan.model).
RatePeriod = CoveragePeriod
RateSpan = CoveragePeriod


def total_rate(p: RatePeriod) -> Decimal | None:
    """The annual rate the fees charge: the cap rule of `distplan.model.Rates`, one rule for
    fees and checks alike."""
    return p.rates.total


def fund_class_label(fund: str, share_class: str | None) -> str:
    return f"{fund} ({share_class} Class)" if share_class else fund


@dataclass(frozen=True)
class InstrumentRecord:
    """An instrument as recorded: its ledger seq (None when not recorded) and its label."""

    instrument: Instrument
    seq: int | None = None

    @property
    def label(self) -> str:
        inst = self.instrument
        if inst.kind == "amendment" and inst.amendment_number is not None:
            name = f"Amendment No. {inst.amendment_number}"
        elif inst.kind == "plan":
            name = inst.title or "the plan"
        else:
            name = inst.title or (inst.schedule.label if inst.schedule else inst.kind)
        return f"{name} (seq {self.seq})" if self.seq is not None else name

    def evidence(self, what: str | None = None, lines: tuple[int, int] | None = None) -> Evidence:
        inst = self.instrument
        return Evidence(
            what=what or self.label,
            seq=self.seq,
            path=inst.source.path or None,
            lines=lines if lines is not None else inst.effective_date_lines,
        )

    def rows(self) -> tuple[ScheduleRow, ...]:
        inst = self.instrument
        if inst.schedule is not None:
            return inst.schedule.rows
        return tuple(
            r for op in inst.operations for r in op.rows if op.op in ("replace_schedule", "add_rows")
        )


def fact_evidence(what: str, where: Where) -> Evidence:
    line = (where.line, where.line) if where.line is not None else None
    return Evidence(what=what, seq=where.seq, path=where.path, lines=line)


@dataclass(frozen=True)
class CheckInput:
    plan: str
    as_of: date
    instruments: tuple[InstrumentRecord, ...] = ()
    rates: tuple[RatePeriod, ...] = ()
    governance: GovernanceFacts = field(default_factory=GovernanceFacts)

    def in_force(self) -> tuple[InstrumentRecord, ...]:
        """Instruments effective on or before as_of (undated ones too: integrity reports them),
        in effective order; same-day instruments in amendment-number order."""
        chosen = [
            r
            for r in self.instruments
            if r.instrument.effective_date is None or r.instrument.effective_date <= self.as_of
        ]
        return tuple(
            sorted(
                chosen,
                key=lambda r: (
                    r.instrument.effective_date or date.min,
                    r.instrument.amendment_number or 0,
                    r.seq or 0,
                ),
            )
        )

    def periods_by_class(self) -> dict[FundClassKey, list[RatePeriod]]:
        """Rate periods that started on or before as_of, per fund-class, in date order."""
        out: dict[FundClassKey, list[RatePeriod]] = defaultdict(list)
        for p in self.rates:
            if p.start <= self.as_of:
                out[FundClassKey.of(p.fund, p.share_class)].append(p)
        for periods in out.values():
            periods.sort(key=lambda p: p.start)
        return dict(out)


def rate_periods_from_instruments(
    records: tuple[InstrumentRecord, ...] | list[InstrumentRecord],
    *,
    plan: str = "plan",
    distribution: Decimal | None = None,
    service: Decimal | None = None,
    aggregate: Decimal | None = None,
) -> list[RateSpan]:
    """Fold instruments into rate periods: a schedule that replaces entirely resets the rows,
    one that does not (and add_rows) adds or updates them, remove_rows and terminate drop them.
    Rates a row does not state come from the plan-level `distribution`/`service`/`aggregate`.
    The ledger's history.coverage is the full version; this one serves tests and what-ifs."""
    ordered = sorted(
        (r for r in records if r.instrument.effective_date is not None),
        key=lambda r: (r.instrument.effective_date, r.instrument.amendment_number or 0, r.seq or 0),
    )
    state: dict[FundClassKey, tuple[ScheduleRow, str, date]] = {}
    spans: list[RateSpan] = []

    def close(key: FundClassKey, end: date) -> None:
        row, label, start = state.pop(key)
        if end > start:
            spans.append(_span(plan, row, label, start, end, distribution, service, aggregate))

    for rec in ordered:
        inst = rec.instrument
        day = inst.effective_date
        assert day is not None
        replaced = inst.schedule is not None and inst.schedule.replaces_entirely
        replaced = replaced or any(op.op == "replace_schedule" for op in inst.operations)
        new_rows = list(rec.rows())
        removed = {
            FundClassKey.of(r.fund, r.share_class)
            for op in inst.operations
            if op.op == "remove_rows"
            for r in op.rows
        }
        for op in inst.operations:
            if op.op == "terminate":
                target = fold_name(op.target or "")
                removed |= {k for k in state if not target or k[0] == target}
        if replaced:
            removed |= set(state)
        for key in list(state):
            if key in removed:
                close(key, day)
        for row in new_rows:
            key = FundClassKey.of(row.fund, row.share_class)
            if key in state:
                close(key, day)
            state[key] = (row, rec.label, day)
    for key in list(state):
        row, label, start = state.pop(key)
        spans.append(_span(plan, row, label, start, None, distribution, service, aggregate))
    spans.sort(key=lambda s: (s.start, *FundClassKey.of(s.fund, s.share_class)))
    return spans


def _span(
    plan: str,
    row: ScheduleRow,
    label: str,
    start: date,
    end: date | None,
    distribution: Decimal | None,
    service: Decimal | None,
    aggregate: Decimal | None,
) -> RateSpan:
    stated = any(x is not None for x in (row.distribution_fee, row.service_fee, row.aggregate_fee))
    return RateSpan(
        plan=plan,
        registrant=row.registrant,
        fund=row.fund,
        share_class=row.share_class,
        start=start,
        end=end,
        rate_distribution=row.distribution_fee if stated else distribution,
        rate_service=row.service_fee if stated else service,
        rate_aggregate=row.aggregate_fee if stated else aggregate,
        instrument=label,
    )
