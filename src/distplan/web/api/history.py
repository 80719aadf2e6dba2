"""A plan's history: the plans, the schedule on a day (paged), a fund's timeline, coverage,
the diff between two days and the instruments with their status."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from distplan.app.roles import READ
from distplan.app.users import User
from distplan.app.values import parse_known_at
from distplan.web.api.common import (
    PAGE_DEFAULT,
    FundQ,
    KnownAtQ,
    LimitQ,
    OffsetQ,
    PlanId,
    as_json,
    in_a_window,
    on_a_day,
)
from distplan.web.auth import require, state

router = APIRouter()


@router.get("/plans")
def plans(request: Request, _: Annotated[User, Depends(require(READ))]) -> dict[str, Any]:
    return {"plans": [p.to_json() for p in state(request).workspace.plans()]}


@router.get("/plans/{plan_id}/schedule")
def schedule(
    request: Request,
    plan_id: PlanId,
    as_of: date,
    _: Annotated[User, Depends(require(READ))],
    known_at: KnownAtQ = None,
    fund: FundQ = None,
    offset: OffsetQ = 0,
    limit: LimitQ = PAGE_DEFAULT,
) -> Response:
    """The schedule in force on `as_of`, a page of rows at a time (`page.next_offset` is the
    next page's `offset`; null on the last)."""
    view = state(request).workspace.schedule(
        plan_id, as_of, parse_known_at(known_at), fund=fund, offset=offset, limit=limit
    )
    return as_json(view.to_json())


@router.get("/plans/{plan_id}/timeline")
def timeline(
    request: Request,
    plan_id: PlanId,
    fund: Annotated[str, Query(min_length=1, max_length=300)],
    _: Annotated[User, Depends(require(READ))],
    share_class: Annotated[str | None, Query(max_length=100)] = None,
    known_at: KnownAtQ = None,
) -> Response:
    return as_json(
        state(request).workspace.timeline(plan_id, fund, share_class, parse_known_at(known_at)).to_json()
    )


@router.get("/plans/{plan_id}/coverage")
def coverage(
    request: Request, plan_id: PlanId, _: Annotated[User, Depends(require(READ))], known_at: KnownAtQ = None
) -> Response:
    return as_json(state(request).workspace.coverage(plan_id, parse_known_at(known_at)).to_json())


router.get("/plans/{plan_id}/diff")(
    in_a_window("diff", READ, "Rows added, removed and changed between two days.")
)
router.get("/plans/{plan_id}/history")(
    on_a_day("history", READ, "The plan's instruments and terms in effective order, with their status.")
)
