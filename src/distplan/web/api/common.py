"""What the API's routers share: path and query parameters, the JSON answer, uploads, and the
endpoint factories for questions asked of a plan on a day or over a window."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Path, Query, Request, UploadFile
from fastapi.responses import Response

from distplan.app import Invalid, Upload
from distplan.app.users import User
from distplan.app.values import parse_known_at
from distplan.web.auth import require, state
from distplan.web.state import MAX_UPLOAD_BYTES

# Ids within what every database's INTEGER holds.
PlanId = Annotated[int, Path(ge=1, le=2_147_483_647)]
Seq = Annotated[int, Path(ge=1, le=2_147_483_647)]
KnownAtQ = Annotated[
    str | None,
    Query(max_length=40, description="An entry seq, or an ISO timestamp (a bare date: its end, UTC)."),
]

# A page of rows: bounded, so no request encodes a 10,000-fund schedule at once.
PAGE_DEFAULT, PAGE_MAX = 200, 1000
FundQ = Annotated[
    str | None, Query(max_length=300, description="Only funds whose name contains this (case ignored).")
]
OffsetQ = Annotated[int, Query(ge=0, le=2_147_483_647, description="The first row of the page.")]
LimitQ = Annotated[int, Query(ge=1, le=PAGE_MAX, description=f"Rows in the page (at most {PAGE_MAX}).")]


def as_json(data: Any) -> Response:
    """JSON by the C encoder, past FastAPI's per-value conversion (a 10,000-row schedule
    took most of a request's time there); the values are already JSON types."""
    return Response(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")), media_type="application/json"
    )


async def read_upload(file: UploadFile) -> Upload:
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise Invalid(f"{file.filename}: larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB", "file")
    name = (file.filename or "upload").replace("\\", "/").rsplit("/", 1)[-1][:200] or "upload"
    return Upload(name, data)


def on_a_day(question: str, permission: str, doc: str) -> Callable[..., Response]:
    """An endpoint asking the workspace `question` of a plan on `as_of`, as known at `known_at`."""

    def endpoint(
        request: Request,
        plan_id: PlanId,
        as_of: date,
        known_at: KnownAtQ = None,
        _: User = Depends(require(permission)),
    ) -> Response:
        ask = getattr(state(request).workspace, question)
        return as_json(ask(plan_id, as_of, parse_known_at(known_at)).to_json())

    endpoint.__name__, endpoint.__doc__ = question, doc
    return endpoint


def in_a_window(question: str, permission: str, doc: str) -> Callable[..., Response]:
    """An endpoint asking the workspace `question` of a plan between `from` and `to`."""

    def endpoint(
        request: Request,
        plan_id: PlanId,
        from_: Annotated[date, Query(alias="from")],
        to: date,
        known_at: KnownAtQ = None,
        _: User = Depends(require(permission)),
    ) -> Response:
        ask = getattr(state(request).workspace, question)
        return as_json(ask(plan_id, from_, to, parse_known_at(known_at)).to_json())

    endpoint.__name__, endpoint.__doc__ = question, doc
    return endpoint
