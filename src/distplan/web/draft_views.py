"""The "draft amendment" page of a plan: the schedule in force as a form (remove a fund, rename
it, edit its rates, add funds), the preview of the draft (diff, findings with what clears each,
coverage; the fee change with net assets uploaded on the Fees page), downloads of the draft as
DOCX, PDF and a redline, and (the counsel role) recording it.

Stateless: the form's fields are the draft (GET for the preview and downloads, POST with the
CSRF token to record), turned into `drafting.Changes` here and built by the Workspace."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from distplan import drafting
from distplan.app import Invalid, Upload
from distplan.app.results import CoverageView
from distplan.app.roles import READ_ALL, RECORD
from distplan.app.values import parse_date
from distplan.drafting.build import stated_row
from distplan.model import Instrument, ScheduleRow, instrument_to_json
from distplan.web import chart
from distplan.web.api.common import PlanId
from distplan.web.auth import check_csrf, state
from distplan.web.pages import page, router, signed_in, today

NEW_ROWS = 3  # blank rows offered for additions
_MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
Fields = Mapping[str, Sequence[str]]


def _one(fields: Fields, name: str) -> str:
    values = fields.get(name) or [""]
    return values[-1].strip()[:300]


def _rates_text(fields: Fields, prefix: str) -> str:
    return ",".join(_one(fields, f"{prefix}-{p}") for p in ("d", "s", "a"))


def _rate(value: Any) -> str:
    return "" if value is None else str(value)


def changes_from_fields(fields: Fields, rows: Sequence[ScheduleRow]) -> drafting.Changes:
    """The changes a submitted form states, against the rows it was built from (`r{i}-*` for
    row i: remove, name, d/s/a; `new{j}-*` for an addition: fund, class, registrant, d/s/a)."""
    remove, rename, set_rates, add = [], [], [], []
    for i, row in enumerate(rows):
        target = drafting.Target(row.fund, row.share_class)
        if _one(fields, f"r{i}-remove"):
            remove.append(target)
            continue
        name = _one(fields, f"r{i}-name")
        if name and name != row.fund:
            rename.append(drafting.parse_rename(f"{row.fund}={name}", f"new name of {row.fund}"))
        stated = ",".join(_rate(v) for v in (row.distribution_fee, row.service_fee, row.aggregate_fee))
        given = _rates_text(fields, f"r{i}")
        if given != stated and given != ",,":
            rates = drafting.parse_rates(given, f"rates of {row.fund}")
            set_rates.append(drafting.RateChange(target, rates))
    for j in range(NEW_ROWS):
        fund = _one(fields, f"new{j}-fund")
        if not fund:
            continue
        share_class = _one(fields, f"new{j}-class")
        registrant = _one(fields, f"new{j}-registrant") or None
        rates = drafting.parse_rates(_rates_text(fields, f"new{j}"), f"rates of {fund}")
        target = drafting.parse_target(f"{fund}:{share_class}" if share_class else fund, "fund to add")
        add.append(drafting.Addition(target, rates, registrant))
    return drafting.Changes(tuple(add), tuple(remove), tuple(rename), tuple(set_rates))


def _days(fields: Fields, request: Request) -> tuple[date, date]:
    as_of = parse_date(_one(fields, "as_of"), "as_of") if _one(fields, "as_of") else today(request)
    effective = _one(fields, "effective")
    return as_of, parse_date(effective, "effective") if effective else as_of


def _build(
    request: Request, plan_id: int, fields: Fields
) -> tuple[list[ScheduleRow], Instrument | None, Any]:
    """The base rows, the draft (None: nothing changed yet) and the schedule view."""
    ws = state(request).workspace
    as_of, effective = _days(fields, request)
    view = ws.schedule(plan_id, as_of)
    rows = [stated_row(line) for line in view.state.rows]
    changes = changes_from_fields(fields, rows)
    draft = None if changes.empty else ws.draft(plan_id, as_of, effective, changes)
    return rows, draft, view


def _charts(now: CoverageView, preview: Any) -> tuple[Any, Any]:
    """The coverage chart before and after the draft (its effective date one more split)."""
    draft = preview.draft
    label = f"Amendment No. {draft.amendment_number} (draft)"
    after = sorted([*now.amendments, (draft.effective_date, label)])
    return (
        chart.build(CoverageView(now.plan, None, preview.before, now.amendments)),
        chart.build(CoverageView(now.plan, None, preview.after, after)),
    )


def _nav(request: Request, fields: Fields) -> Any:
    upload_id = _one(fields, "nav")
    return state(request).uploads.path(upload_id) if upload_id else None


@router.get("/plans/{plan_id}/draft", response_class=HTMLResponse)
def draft_page(request: Request, plan_id: PlanId) -> Response:
    signed_in(request, READ_ALL)
    fields = {k: request.query_params.getlist(k) for k in request.query_params}
    rows, draft, view = _build(request, plan_id, fields)
    preview, charts = None, None
    if draft is not None:
        ws = state(request).workspace
        preview = ws.preview(instrument_to_json(draft), plan_ref=plan_id, nav=_nav(request, fields))
        charts = _charts(ws.coverage(plan_id), preview)
    as_of, effective = _days(fields, request)
    return page(
        request,
        "draft.html.j2",
        plan=view.plan,
        rows=list(enumerate(rows)),
        fields={k: v[-1] for k, v in fields.items() if v},
        new_rows=range(NEW_ROWS),
        as_of=as_of,
        effective=effective,
        draft=draft,
        preview=preview,
        charts=charts,
        query=request.url.query,
    )


@router.get("/plans/{plan_id}/draft.{fmt}")
def draft_download(request: Request, plan_id: PlanId, fmt: str, redline: bool = False) -> Response:
    user = signed_in(request, READ_ALL)
    if fmt not in _MEDIA:
        raise Invalid(f"format {fmt[:20]!r}: expected docx or pdf", "format")
    fields = {k: request.query_params.getlist(k) for k in request.query_params}
    _, draft, _ = _build(request, plan_id, fields)
    if draft is None:
        raise Invalid("nothing to draft: change the schedule first", "draft")
    ws = state(request).workspace
    data = instrument_to_json(draft)
    if redline and fmt == "docx":
        body = ws.redline(data, author=user.name, when=state(request).clock(), plan_ref=plan_id)
    else:
        body = ws.render(data, fmt)[0]
    name = f"amendment-{draft.amendment_number}{'-redline' if redline else ''}.{fmt}"
    return Response(
        body, media_type=_MEDIA[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.post("/plans/{plan_id}/draft/record")
async def draft_record(request: Request, plan_id: PlanId) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf", "")))
    user = signed_in(request, RECORD)
    fields = {k: [str(v) for v in form.getlist(k)] for k in form if k != "csrf"}
    _, draft, _ = _build(request, plan_id, fields)
    if draft is None:
        raise Invalid("nothing to record: the draft changes nothing", "draft")
    web = state(request)
    text = json.dumps(instrument_to_json(draft), indent=2, ensure_ascii=False)
    done = web.workspace.record(
        [Upload(f"draft-amendment-{draft.amendment_number}.json", text.encode("utf-8"))],
        recorded_at=web.clock(),
        recorded_by=user.name,
        plan_ref=plan_id,
    )
    recorded = done.to_json()["recorded"]
    if not recorded:
        raise Invalid("the draft is already recorded", "draft")
    target = f"/plans/{plan_id}/schedule?as_of={draft.effective_date}&recorded={recorded[0]['seq']}"
    return RedirectResponse(target, status_code=303)
