"""Build a draft amendment: the plan's state on a day, the changes applied to a copy of its
schedule, and the next amendment as an Instrument (never recorded here).

The draft restates Schedule A in full ("deleted in its entirety and replaced"), as the
reference filings do; a rename is also an operation of its own (`rename_fund`, before the
replacement), so the fold keeps the fund's identity through the new name instead of reading
a removal and an addition. Rates a row took from plan terms stay unstated in the draft (the
terms still apply); rates the schedule stated are restated as they were.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from distplan import history as H
from distplan.app.errors import Conflict, Invalid, NotFound
from distplan.drafting.changes import Addition, Changes, Target
from distplan.history import Line, PlanState
from distplan.ledger import KIND_INSTRUMENT, KIND_VOID, Entry, Plan
from distplan.ledger.plankey import plan_title
from distplan.model import (
    Diagnostic,
    FundClassKey,
    Instrument,
    Operation,
    PlanRef,
    Schedule,
    ScheduleRow,
    Source,
    fold_class,
    fold_name,
    suggest,
)
from distplan.validation import validate_instrument

SCHEDULE = "Schedule A"


@dataclass(frozen=True)
class Basis:
    """What a draft is built from: the plan, its state on `as_of`, and the instruments recorded."""

    plan: Plan
    state: PlanState
    instruments: tuple[Instrument, ...]  # the plan's live instruments, in effective order
    coverage: tuple[H.CoveragePeriod, ...]
    head: int  # the last ledger entry read


def basis(entries: list[Entry], plan: Plan, as_of: date, cache: H.HistoryCache | None = None) -> Basis:
    voided = {e.target_seq for e in entries if e.kind == KIND_VOID}
    live = [e for e in entries if e.kind == KIND_INSTRUMENT and e.plan_id == plan.id and e.seq not in voided]
    live.sort(key=lambda e: (e.effective_date or date.min, e.instrument.amendment_number or 0, e.seq))
    return Basis(
        plan,
        H.plan_state(entries, plan, as_of, cache=cache),
        tuple(e.instrument for e in live),
        tuple(H.coverage(entries, plan, cache=cache)),
        max((e.seq for e in entries), default=0),
    )


def stated_row(line: Line) -> ScheduleRow:
    """The row as the schedule states it: rates from plan terms (or derived) left unstated."""

    def own(name: str) -> Decimal | None:
        stated = (line.sources.get(name) or {}).get("from") == "schedule"
        value: Decimal | None = getattr(line, name)
        return value if stated else None

    return ScheduleRow(
        fund=line.fund,
        registrant=line.registrant,
        share_class=line.share_class,
        distribution_fee=own("distribution_fee"),
        service_fee=own("service_fee"),
        aggregate_fee=own("aggregate_fee"),
    )


def _key(row: ScheduleRow) -> FundClassKey:
    return FundClassKey.of(row.fund, row.share_class)


def _matches(row: ScheduleRow, target: Target) -> bool:
    if fold_name(row.fund) != fold_name(target.fund):
        return False
    return target.share_class is None or fold_class(row.share_class) == fold_class(target.share_class)


def _find(rows: list[ScheduleRow], target: Target, option: str, as_of: date) -> list[int]:
    """Indexes of the rows a target names; NotFound with a did-you-mean when none."""
    hits = [i for i, r in enumerate(rows) if _matches(r, target)]
    if hits:
        return hits
    funds = list(dict.fromkeys(r.fund for r in rows))
    if any(fold_name(f) == fold_name(target.fund) for f in funds):
        classes = ", ".join(
            sorted({r.share_class or "(none)" for r in rows if _matches(r, Target(target.fund))})
        )
        raise NotFound(
            f"{option} {target.label()!r}: the fund has no such class in the schedule (it has {classes})",
            option,
        )
    hint = suggest(target.fund, funds)
    hint = f" (did you mean {hint!r}?)" if hint else ""
    raise NotFound(f"{option} {target.fund!r}: not in the schedule in force on {as_of}{hint}", option)


def _registrant(add: Addition, rows: list[ScheduleRow], b: Basis) -> str | None:
    """An added fund's registrant: as given, else the one it had when last in the plan, else
    the schedule's only registrant."""
    if add.registrant is not None:
        return add.registrant
    past = [p for p in b.coverage if fold_name(p.fund) == fold_name(add.target.fund)]
    if past:
        return max(past, key=lambda p: p.start).registrant
    registrants = list(dict.fromkeys(r.registrant for r in rows))
    if len(registrants) == 1:
        return registrants[0]
    raise Invalid(
        f"--add {add.target.label()!r}: the schedule has {len(registrants)} registrants; "
        "say which with --registrant (one per --add)",
        "--registrant",
    )


def _insert(rows: list[ScheduleRow], row: ScheduleRow) -> None:
    """After the last row of its registrant (groups stay together), else at the end."""
    folded = fold_name(row.registrant or "")
    last = max((i for i, r in enumerate(rows) if fold_name(r.registrant or "") == folded), default=None)
    rows.insert(len(rows) if last is None else last + 1, row)


def _apply(changes: Changes, b: Basis) -> tuple[list[ScheduleRow], list[Operation]]:
    as_of = b.state.as_of
    base = (
        changes.schedule if changes.schedule is not None else tuple(stated_row(line) for line in b.state.rows)
    )
    rows = list(base)
    ops: list[Operation] = []
    removed: set[int] = set()
    for target in changes.remove:
        removed.update(_find(rows, target, "--remove", as_of))
    for rename in changes.rename:
        hits = _find(rows, Target(rename.old), "--rename", as_of)
        if removed.intersection(hits):
            raise Conflict(f"--rename {rename.old!r}: the fund is also removed (--remove)", "--rename")
        if fold_name(rename.new) != fold_name(rename.old) and any(
            fold_name(r.fund) == fold_name(rename.new) for r in rows
        ):
            raise Conflict(
                f"--rename {rename.old}={rename.new}: {rename.new!r} is already in the schedule", "--rename"
            )
        ops.append(Operation("rename_fund", target=rows[hits[0]].fund, new_name=rename.new))
        for i in hits:
            rows[i] = replace(rows[i], fund=rename.new)
    for change in changes.set_rates:
        hits = _find(rows, change.target, "--set-rates", as_of)
        if removed.intersection(hits):
            raise Conflict(
                f"--set-rates {change.target.label()!r}: the fund is also removed (--remove)", "--set-rates"
            )
        new = (change.rates.distribution, change.rates.service, change.rates.aggregate)
        for i in hits:
            old = (rows[i].distribution_fee, rows[i].service_fee, rows[i].aggregate_fee)
            d, s, a = (n if n is not None else o for n, o in zip(new, old, strict=True))
            rows[i] = replace(rows[i], distribution_fee=d, service_fee=s, aggregate_fee=a)
    rows = [r for i, r in enumerate(rows) if i not in removed]
    default_class = b.plan.share_class if b.plan.share_class and "," not in b.plan.share_class else None
    for add in changes.add:
        share_class = add.target.share_class or default_class
        row = ScheduleRow(
            fund=add.target.fund,
            registrant=_registrant(add, rows, b),
            share_class=share_class,
            distribution_fee=add.rates.distribution,
            service_fee=add.rates.service,
            aggregate_fee=add.rates.aggregate,
        )
        if any(_key(r) == _key(row) for r in rows):
            raise Conflict(
                f"--add {add.target.label()!r}: already in the schedule (use --set-rates to change its rates)",
                "--add",
            )
        _insert(rows, row)
    if not rows:
        raise Invalid(
            "the draft removes every fund: to end the plan, draft a termination instead", "--remove"
        )
    return rows, ops


def _signatories(latest: Instrument | None, rows: list[ScheduleRow]) -> tuple[str, ...]:
    """The registrants of the new schedule (spelt as they signed before) and whoever else
    signed the last instrument (the distributor); each registrant signs when none did before."""
    before = latest.signatories if latest is not None else ()
    signed = {fold_name(s): s for s in before}
    # A registrant that did not sign before signs in capitals, as the reference's signature block.
    registrants = [signed.get(fold_name(r.registrant), r.registrant.upper()) for r in rows if r.registrant]
    folded = {fold_name(r.registrant) for r in rows if r.registrant}
    others = [s for s in before if fold_name(s) not in folded and "distributor" in fold_name(s)]
    return tuple(dict.fromkeys([*registrants, *others]))


def build_draft(b: Basis, changes: Changes, effective: date) -> Instrument:
    """The next amendment of the plan: effective `effective`, replacing Schedule A with the
    schedule in force on `b.state.as_of` as changed."""
    if changes.empty:
        raise Invalid("nothing to draft: give --add, --remove, --rename, --set-rates or --replace-schedule")
    if effective < b.state.as_of:
        raise Invalid(
            f"--effective {effective}: before --as-of {b.state.as_of} (the state it amends)", "--effective"
        )
    if not b.state.rows and changes.schedule is None:
        raise Invalid(f"--as-of {b.state.as_of}: {b.state.message()}", "--as-of")
    rows, ops = _apply(changes, b)
    latest = b.instruments[-1] if b.instruments else None
    number = max((i.amendment_number or 0 for i in b.instruments), default=0) + 1
    # The plan as the last instrument names it, its title without a trailing "(Investor Class
    # Shares)": the classes are stated apart (and the renderer words them from there).
    plan = replace(latest.plan, title=plan_title(latest)) if latest is not None else PlanRef(b.plan.title)
    title = plan.title or b.plan.title
    draft = Instrument(
        source=Source(path=f"draft of Amendment No. {number}", sha256=""),
        kind="amendment",
        title=f"Amendment No. {number} to the {title}",
        amendment_number=number,
        plan=plan,
        effective_date=effective,
        dated=effective,
        operations=(*ops, Operation("replace_schedule", target=SCHEDULE)),
        schedule=Schedule(SCHEDULE, True, tuple(rows)),
        signatories=_signatories(latest, rows),
        diagnostics=(
            Diagnostic(
                "info",
                f"draft: the schedule in force on {b.state.as_of} (ledger entries to {b.head}) as changed; "
                "not recorded",
            ),
        ),
    )
    validate_instrument(draft, "draft")
    return draft
