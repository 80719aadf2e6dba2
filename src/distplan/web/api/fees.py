"""Fees: net-asset uploads and a month's payables (the pages' downloads use `payables_view`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import Response

from distplan.app import Invalid
from distplan.app.roles import FEES, READ_FEES
from distplan.app.users import User
from distplan.app.values import parse_known_at, parse_month
from distplan.web.api.common import KnownAtQ, PlanId, as_json, read_upload
from distplan.web.auth import require, state

router = APIRouter()


@router.post("/uploads/nav", status_code=201)
async def upload_nav(
    request: Request, file: Annotated[UploadFile, File()], _: Annotated[User, Depends(require(FEES))]
) -> dict[str, Any]:
    """Net assets (CSV or Parquet: fund, share_class, date, net_assets) for payables."""
    upload = await read_upload(file)
    if upload.suffix not in (".csv", ".parquet"):
        raise Invalid(f"{upload.name}: net assets must be a .csv or .parquet file", "file")
    return {"id": state(request).uploads.put(upload), "name": upload.name, "bytes": len(upload.data)}


def payables_view(
    request: Request, plan_id: PlanId, month: str, nav: str, known_at: str | None, rounding: str
) -> Any:
    web = state(request)
    year, mon = parse_month(month)
    return web.workspace.payables(
        plan_id, web.uploads.path(nav), year, mon, known_at=parse_known_at(known_at), rounding=rounding
    )


@router.get("/plans/{plan_id}/payables")
def payables(
    request: Request,
    plan_id: PlanId,
    month: Annotated[str, Query(description="YYYY-MM", max_length=7)],
    nav: Annotated[str, Query(description="The id of an uploaded net-assets file.", max_length=64)],
    _: Annotated[User, Depends(require(READ_FEES))],
    known_at: KnownAtQ = None,
    rounding: Annotated[str, Query(max_length=40)] = "daily-cents-half-even",
) -> Response:
    return as_json(payables_view(request, plan_id, month, nav, known_at, rounding).to_json())
