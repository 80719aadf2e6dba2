"""Plans: finding one by reference, and the plan an instrument names (made when new)."""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from distplan.errors import InputError
from distplan.ledger.plankey import plan_classes, plan_key, plan_title, title_key
from distplan.ledger.records import Plan
from distplan.ledger.schema import plans as P
from distplan.model import Instrument, fold_name


def resolve_plan(
    plans: list[Plan], ref: str | None, named: str = "--plan", how_to_record: str = " (distplan record FILE)"
) -> Plan:
    """A plan by id or a unique part of its name; None when the ledger has one plan.
    `named`: what the caller calls the reference in its messages (a flag, a field);
    `how_to_record`: the caller's hint for recording the first instrument."""
    if not plans:
        raise InputError(f"the ledger has no plans yet; record an instrument first{how_to_record}")
    if ref is None or not ref.strip():
        if len(plans) == 1:
            return plans[0]
        names = "; ".join(f"{p.id}: {p.label}" for p in plans)
        raise InputError(f"the ledger has {len(plans)} plans; choose one with {named} ({names})")
    ref = ref.strip()
    if ref.isdigit():
        for plan in plans:
            if plan.id == int(ref):
                return plan
        raise InputError(f"{named} {ref}: no plan with that id")
    needle = fold_name(ref)
    hits = [p for p in plans if needle in fold_name(p.label) or needle in p.key]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        raise InputError(f"{named} {ref!r}: no plan's name contains it")
    names = "; ".join(f"{p.id}: {p.label}" for p in hits)
    raise InputError(f"{named} {ref!r}: matches {len(hits)} plans ({names}); give an id")


def plan_for(conn: Connection, inst: Instrument, where: str, chosen: Plan | None) -> tuple[Plan, bool]:
    """The plan the instrument names, and whether this call made it; `chosen` (the plan the
    user said) must be that one."""
    title, classes = plan_title(inst), plan_classes(inst)
    key = plan_key(title, classes)
    if chosen is not None and chosen.key != key:
        # A plan is what the instrument names (verify checks exactly that): --plan can
        # confirm it, never move an instrument to another plan.
        named = f"{title} ({', '.join(classes)})" if classes else title
        raise InputError(
            f"{where}: names the plan {named!r}, not --plan {chosen.id} ({chosen.label}); "
            "leave out --plan to record it under its own plan, or correct its plan title"
        )
    row = conn.execute(select(P).where(P.c.key == key)).first()
    if row is not None:
        return Plan(row.id, row.title, row.share_class, row.key), False
    if not title_key(title):
        raise InputError(f"{where}: names no plan (no plan title and no document title)")
    next_id = (conn.execute(select(func.max(P.c.id))).scalar() or 0) + 1
    share_class = ", ".join(classes) or None
    conn.execute(P.insert().values(id=next_id, title=title, share_class=share_class, key=key))
    return Plan(next_id, title, share_class, key), True
