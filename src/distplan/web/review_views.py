"""Document review and fees pages: upload a filing, review and record it; upload net assets,
see a month's payables (downloads: downloads.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from distplan.app.roles import FEES, READ_ALL, READ_FEES, RECORD
from distplan.model import instrument_to_json
from distplan.web import review
from distplan.web.api.common import read_upload
from distplan.web.auth import check_csrf, state
from distplan.web.downloads import Month
from distplan.web.pages import page, router, signed_in, today

Text = Annotated[str | None, Query(max_length=300)]


@router.get("/review", response_class=HTMLResponse)
def review_start(request: Request) -> Response:
    signed_in(request, RECORD)
    return page(request, "review_upload.html.j2")


@router.post("/review")
async def review_upload(
    request: Request, file: Annotated[UploadFile, File()], csrf: Annotated[str, Form(max_length=100)] = ""
) -> Response:
    check_csrf(request, csrf)
    signed_in(request, RECORD)
    web = state(request)
    upload = await read_upload(file)
    web.workspace.extract(upload)  # a file the extractor cannot read is refused here, not later
    return RedirectResponse(f"/review/{web.uploads.put(upload)}", status_code=303)


@router.get("/review/{upload_id}", response_class=HTMLResponse)
def review_page(request: Request, upload_id: str) -> Response:
    signed_in(request, READ_ALL)
    web = state(request)
    upload = web.uploads.get(upload_id)
    data = instrument_to_json(web.workspace.extract(upload))
    rows = review.rows_for_review(data)
    return page(
        request,
        "review.html.j2",
        upload_id=upload_id,
        name=upload.name,
        data=data,
        rows=rows,
        fields=review.FIELDS,
        source_lines=list(enumerate(upload.text.splitlines(), start=1)),
        doubtful=sum(1 for r in rows if r.doubtful),
    )


@router.post("/review/{upload_id}/record")
async def review_record(request: Request, upload_id: str) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf", "")))
    user = signed_in(request, RECORD)
    web = state(request)
    upload = web.uploads.get(upload_id)
    data = instrument_to_json(web.workspace.extract(upload))
    fields = {k: [str(v) for v in form.getlist(k)] for k in form}
    edited = review.edited_instrument(data, fields)
    done = web.workspace.record_reviewed(
        edited,
        upload.text,
        name=upload.name,
        recorded_at=web.clock(),
        recorded_by=user.name,
        force=bool(form.get("force")),
    )
    result = done.to_json()
    if result["recorded"]:
        item = result["recorded"][0]
        target = f"/plans/{item['plan']['id']}/schedule?as_of={item['effective_date'] or today(request)}&recorded={item['seq']}"
        return RedirectResponse(target, status_code=303)
    return page(request, "recorded.html.j2", result=result)


@router.get("/fees", response_class=HTMLResponse)
def fees(request: Request, nav: Text = None) -> Response:
    signed_in(request, READ_FEES)
    return page(request, "fees.html.j2", plans=state(request).workspace.plans(), nav=nav or "", month="")


@router.post("/fees/nav")
async def fees_nav(
    request: Request, file: Annotated[UploadFile, File()], csrf: Annotated[str, Form(max_length=100)] = ""
) -> Response:
    check_csrf(request, csrf)
    signed_in(request, FEES)
    upload = await read_upload(file)
    if upload.suffix not in (".csv", ".parquet"):
        from distplan.app import Invalid

        raise Invalid(f"{upload.name}: net assets must be a .csv or .parquet file", "file")
    return RedirectResponse(f"/fees?nav={state(request).uploads.put(upload)}", status_code=303)


@router.get("/plans/{plan_id}/payables", response_class=HTMLResponse)
def payables(request: Request, asked: Month) -> Response:
    view = asked.view()
    rows = view.rows()
    top = max((float(r["fee"]) for r in rows), default=0.0) or 1.0
    return page(
        request,
        "payables.html.j2",
        view=view,
        plan=view.plan,
        rows=rows,
        top=top,
        download=asked.query(),
        totals=view.totals(),
    )


@router.get("/fees/payables")
def fees_payables(
    request: Request,
    plan: Annotated[int, Query()],
    month: Annotated[str, Query(max_length=7)],
    nav: Annotated[str, Query(max_length=64)],
) -> Response:
    signed_in(request, READ_FEES)
    from urllib.parse import urlencode

    return RedirectResponse(
        f"/plans/{plan}/payables?{urlencode({'month': month, 'nav': nav})}", status_code=303
    )
