"""A renamed fund stays one fund in the checks. The checks know a fund-class by its name, so
before they run every name in their input is replaced by one name per fund-class: the name
it had when first covered (history's identity, which the fold's `rename_fund` keeps).

Which fund-class a name in a fact means depends on the fact's date: the one that bore the
name on that day; after the name went out of use (renamed, or removed), the one that bore it
last, so facts recorded under the old name still apply after the rename. Before a name came
into use by a rename it means that fund-class only when the fact says so: it names the
renaming instrument (its amendment number or its effective date). Otherwise the fact keeps
the name as written and, as today, acts for no fund-class. The preview and `check` both come
here (through `sources.check_input`), so they agree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TypeVar

from distplan.compliance.governance import FundClass, GovernanceFacts
from distplan.compliance.inputs import CheckInput, InstrumentRecord
from distplan.model import CoveragePeriod, FundClassKey, ScheduleRow, fold_name

T = TypeVar("T")
Tracked = Sequence[tuple[Hashable, CoveragePeriod]]  # history.tracked_coverage: (identity, period)
Span = tuple[date, date | None, str]  # [start, end) a name was borne, and the fund's one name
Birth = tuple[date, str]  # the day a rename gave a fund-class the name, and its one name


@dataclass(frozen=True)
class Names:
    spans: dict[FundClassKey, list[Span]]
    births: dict[FundClassKey, list[Birth]]
    renamers: dict[tuple[date, str], frozenset[int]]  # (day, folded new name) -> amendment numbers

    def resolve(
        self, fund: str, share_class: str | None, day: date, amendment: int | None, effective: date | None
    ) -> str:
        """The one name of the fund-class `fund` meant on `day` (see the module's rule)."""
        key = FundClassKey.of(fund, share_class)
        spans = _lookup(self.spans, key)
        if not spans:
            return fund
        bearing = [name for start, end, name in spans if start <= day and (end is None or day < end)]
        if bearing:
            return bearing[0]
        earlier = [(start, name) for start, _, name in spans if start <= day]
        if earlier:
            return max(earlier)[1]
        for born, name in _lookup(self.births, key):
            numbers = self.renamers.get((born, key.fund), frozenset())
            if effective == born or (amendment is not None and amendment in numbers):
                return name
        return fund


def _lookup(table: dict[FundClassKey, list[T]], key: FundClassKey) -> list[T]:
    """The entries for the fund-class; for a fact without its class, those of the fund's classes."""
    if key in table:
        return table[key]
    return [x for k, v in table.items() if k.fund == key.fund for x in v]


def names(tracked: Tracked, instruments: Iterable[InstrumentRecord]) -> Names:
    by_ident: dict[Hashable, list[CoveragePeriod]] = defaultdict(list)
    for ident, period in tracked:
        by_ident[ident].append(period)
    spans: dict[FundClassKey, list[Span]] = defaultdict(list)
    births: dict[FundClassKey, list[Birth]] = defaultdict(list)
    for periods in by_ident.values():
        periods.sort(key=lambda p: p.start)
        one = periods[0].fund
        for before, p in zip([None, *periods], periods, strict=False):
            key = FundClassKey.of(p.fund, p.share_class)
            spans[key].append((p.start, p.end, one))
            if before is not None and fold_name(before.fund) != key.fund:
                births[key].append((p.start, one))
    renamers: dict[tuple[date, str], set[int]] = defaultdict(set)
    for rec in instruments:
        inst = rec.instrument
        if inst.effective_date is None or inst.amendment_number is None:
            continue
        for op in inst.operations:
            if op.op == "rename_fund" and op.new_name:
                renamers[(inst.effective_date, fold_name(op.new_name))].add(inst.amendment_number)
    frozen = {k: frozenset(v) for k, v in renamers.items()}
    return Names(dict(spans), dict(births), frozen)


def follow_renames(inp: CheckInput, tracked: Tracked) -> CheckInput:
    """`inp` with every fund named by its one name; unchanged when no fund was renamed."""
    idents: dict[Hashable, str] = {}
    renamed = False
    for ident, p in sorted(tracked, key=lambda t: t[1].start):
        one = idents.setdefault(ident, p.fund)
        renamed = renamed or fold_name(one) != fold_name(p.fund)
    if not renamed:
        return inp
    book = names(tracked, inp.instruments)
    rates = tuple(replace(p, fund=idents[ident]) for ident, p in tracked)
    instruments = tuple(_instrument(rec, book) for rec in inp.instruments)
    return replace(
        inp, rates=rates, instruments=instruments, governance=_facts(inp.governance, book, inp.as_of)
    )


def _instrument(rec: InstrumentRecord, book: Names) -> InstrumentRecord:
    """The rows name funds as of the instrument's own effective date (after its renames)."""
    inst = rec.instrument
    day = inst.effective_date
    if day is None:
        return rec

    def rows(rows: tuple[ScheduleRow, ...]) -> tuple[ScheduleRow, ...]:
        return tuple(
            replace(r, fund=book.resolve(r.fund, r.share_class, day, inst.amendment_number, day))
            for r in rows
        )

    schedule = replace(inst.schedule, rows=rows(inst.schedule.rows)) if inst.schedule is not None else None
    operations = tuple(replace(op, rows=rows(op.rows)) for op in inst.operations)
    return replace(rec, instrument=replace(inst, schedule=schedule, operations=operations))


def _facts(gov: GovernanceFacts, book: Names, as_of: date) -> GovernanceFacts:
    def scope(
        fcs: tuple[FundClass, ...] | None, day: date, number: int | None, eff: date | None
    ) -> tuple[FundClass, ...] | None:
        if fcs is None:
            return None
        return tuple(
            fc
            if fc.fund is None
            else replace(fc, fund=book.resolve(fc.fund, fc.share_class, day, number, eff))
            for fc in fcs
        )

    approvals = tuple(
        replace(a, scope=scope(a.scope, a.date, a.amendment, a.effective)) for a in gov.approvals
    )
    votes = tuple(
        replace(v, fund=book.resolve(v.fund, v.share_class, v.date, v.amendment, None))
        for v in gov.shareholder_votes
    )
    plan = gov.plan
    if plan is not None:  # class facts are undated: the fund-class named so on the as-of date
        classes = tuple(
            c if c.fund is None else replace(c, fund=book.resolve(c.fund, c.share_class, as_of, None, None))
            for c in plan.classes
        )
        plan = replace(plan, classes=classes)
    return replace(gov, approvals=approvals, shareholder_votes=votes, plan=plan)
