"""The pages' routes: plans, schedule, coverage, diff, timeline, ledger, findings, calendar."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from distplan.app.paging import page_list
from distplan.app.roles import READ, READ_ALL, VERIFY
from distplan.app.values import parse_known_at
from distplan.web import chart
from distplan.web.api.common import PAGE_MAX, PlanId
from distplan.web.auth import check_csrf, current_user, end_session, start_session, state
from distplan.web.pages import day_param, known_at_choices, page, pager_links, router, signed_in, today

Text = Annotated[str | None, Query(max_length=300)]
PAGE_ROWS = 200  # schedule rows (ledger entries) on one page


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    return RedirectResponse("/plans" if current_user(request) else "/signin", status_code=303)


@router.get("/signin", response_class=HTMLResponse)
def signin_form(request: Request, next: Text = None) -> Response:
    return page(request, "signin.html.j2", next=_safe_next(next), failed=False)


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never //host or a scheme): no open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/plans"


@router.post("/signin", response_class=HTMLResponse)
def signin(
    request: Request,
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1000)],
    csrf: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=300)] = "/plans",
) -> Response:
    check_csrf(request, csrf)
    web = state(request)
    user = web.workspace.users.authenticate(name, password)
    if user is None:
        return page(request, "signin.html.j2", status=401, next=_safe_next(next), failed=True)
    response = RedirectResponse(_safe_next(next), status_code=303)
    start_session(response, web, user)
    return response


@router.post("/signout")
def signout(request: Request, csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    check_csrf(request, csrf)
    response = RedirectResponse("/signin", status_code=303)
    end_session(response)
    return response


@router.get("/plans", response_class=HTMLResponse)
def plans(request: Request) -> Response:
    signed_in(request, READ)
    return page(request, "plans.html.j2", plans=state(request).workspace.plans(), today=today(request))


@router.get("/plans/{plan_id}/schedule", response_class=HTMLResponse)
def schedule(
    request: Request,
    plan_id: PlanId,
    as_of: Text = None,
    known_at: Text = None,
    fund: Text = None,
    offset: Annotated[int, Query(ge=0, le=2_147_483_647)] = 0,
    limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = PAGE_ROWS,
) -> Response:
    signed_in(request, READ)
    day = day_param(request, as_of, today(request), "as_of")
    view = state(request).workspace.schedule(
        plan_id, day, parse_known_at(known_at), fund=fund, offset=offset, limit=limit
    )
    keep = {"as_of": day.isoformat(), "known_at": known_at or "", "fund": fund or "", "limit": limit}
    return page(
        request,
        "schedule.html.j2",
        view=view,
        plan=view.plan,
        known_at=known_at or "",
        fund=fund or "",
        choices=known_at_choices(request),
        pager=pager_links(request.url.path, keep, view.page),
        download=urlencode({k: v for k, v in keep.items() if v and k != "limit"}),
    )


@router.get("/plans/{plan_id}/coverage", response_class=HTMLResponse)
def coverage(request: Request, plan_id: PlanId, known_at: Text = None, q: Text = None) -> Response:
    signed_in(request, READ)
    view = state(request).workspace.coverage(plan_id, parse_known_at(known_at))
    return page(
        request,
        "coverage.html.j2",
        view=view,
        plan=view.plan,
        chart=chart.build(view, q or ""),
        q=q or "",
        known_at=known_at or "",
        choices=known_at_choices(request),
    )


@router.get("/plans/{plan_id}/diff", response_class=HTMLResponse)
def diff(
    request: Request,
    plan_id: PlanId,
    from_: Annotated[str | None, Query(alias="from", max_length=40)] = None,
    to: Text = None,
    known_at: Text = None,
) -> Response:
    signed_in(request, READ)
    end = day_param(request, to, today(request), "to")
    start = day_param(request, from_, end - timedelta(days=30), "from")
    view = state(request).workspace.diff(plan_id, start, end, parse_known_at(known_at))
    return page(
        request,
        "diff.html.j2",
        view=view.to_json(),
        plan=view.plan,
        start=start,
        end=end,
        known_at=known_at or "",
    )


@router.get("/plans/{plan_id}/timeline", response_class=HTMLResponse)
def timeline(request: Request, plan_id: PlanId, fund: Text = None, share_class: Text = None) -> Response:
    signed_in(request, READ)
    ws = state(request).workspace
    plan = ws.plan(plan_id)
    view = ws.timeline(plan_id, fund, share_class or None).to_json() if fund else None
    return page(
        request, "timeline.html.j2", plan=plan, view=view, fund=fund or "", share_class=share_class or ""
    )


@router.get("/ledger", response_class=HTMLResponse)
def ledger(
    request: Request,
    verify: Text = None,
    show: Annotated[int | None, Query(ge=1)] = None,
    offset: Annotated[int, Query(ge=0, le=2_147_483_647)] = 0,
    limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = PAGE_ROWS,
) -> Response:
    user = signed_in(request, READ_ALL)
    ws = state(request).workspace
    report = None
    if verify:
        signed_in(request, VERIFY)
        report = ws.verify()
    rows, at = page_list(ws.ledger_rows(today(request)), offset, limit)
    source = ws.source_text(show) if show else None
    pager = pager_links(request.url.path, {"limit": limit}, at)
    return page(
        request,
        "ledger.html.j2",
        rows=rows,
        page=at,
        pager=pager,
        report=report,
        show=show,
        source=source,
        me=user,
    )


@router.get("/plans/{plan_id}/findings", response_class=HTMLResponse)
def findings(request: Request, plan_id: PlanId, as_of: Text = None, known_at: Text = None) -> Response:
    signed_in(request, READ_ALL)
    day = day_param(request, as_of, today(request), "as_of")
    view = state(request).workspace.findings(plan_id, day, parse_known_at(known_at))
    return page(request, "findings.html.j2", view=view, data=view.to_json(), plan=view.plan, as_of=day)


@router.get("/plans/{plan_id}/calendar", response_class=HTMLResponse)
def calendar(
    request: Request,
    plan_id: PlanId,
    from_: Annotated[str | None, Query(alias="from", max_length=40)] = None,
    to: Text = None,
) -> Response:
    signed_in(request, READ_ALL)
    start = day_param(request, from_, today(request), "from")
    end = day_param(request, to, start + timedelta(days=365), "to")
    view = state(request).workspace.calendar(plan_id, start, end)
    return page(request, "calendar.html.j2", view=view, plan=view.plan, start=start, end=end)
