"""The JSON API under /api/v1 (OpenAPI at /api/openapi.json). Every answer is the workspace's
`to_json`, the same JSON the CLI prints with --json."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import PlainTextResponse, Response
from pydantic import BaseModel, Field

from distplan.app import Conflict, Invalid, Upload
from distplan.app.roles import FEES, READ, READ_ALL, READ_FEES, RECORD, TERMS, USERS, VERIFY, VOID
from distplan.app.users import User
from distplan.app.values import parse_known_at, parse_month
from distplan.web.auth import require, state
from distplan.web.state import MAX_UPLOAD_BYTES

router = APIRouter(prefix="/api/v1")
# Ids within what every database's INTEGER holds.
PlanId = Annotated[int, Path(ge=1, le=2_147_483_647)]
Seq = Annotated[int, Path(ge=1, le=2_147_483_647)]
KnownAtQ = Annotated[
    str | None,
    Query(max_length=40, description="An entry seq, or an ISO timestamp (a bare date: its end, UTC)."),
]


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


@router.get("/health")
def health(request: Request) -> dict[str, Any]:
    ws = state(request).workspace
    return {"status": "ok", "entries": ws.head_seq()}


@router.get("/plans")
def plans(request: Request, _: Annotated[User, Depends(require(READ))]) -> dict[str, Any]:
    return {"plans": [p.to_json() for p in state(request).workspace.plans()]}


# A page of schedule rows: bounded, so no request encodes a 10,000-fund schedule at once.
PAGE_DEFAULT, PAGE_MAX = 200, 1000
FundQ = Annotated[
    str | None, Query(max_length=300, description="Only funds whose name contains this (case ignored).")
]
OffsetQ = Annotated[int, Query(ge=0, le=2_147_483_647, description="The first row of the page.")]
LimitQ = Annotated[int, Query(ge=1, le=PAGE_MAX, description=f"Rows in the page (at most {PAGE_MAX}).")]


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


@router.get("/entries")
def entries(
    request: Request,
    as_of: date,
    _: Annotated[User, Depends(require(READ_ALL))],
    offset: OffsetQ = 0,
    limit: LimitQ = PAGE_DEFAULT,
) -> Response:
    """The ledger's entries, newest first, a page at a time, with their status on `as_of`."""
    from distplan.app.paging import page_list

    rows, page = page_list(state(request).workspace.ledger_rows(as_of), offset, limit)
    return as_json({"entries": [r.to_json() for r in rows], "page": page.to_json()})


@router.get("/entries/{seq}/source", response_class=PlainTextResponse)
def entry_source(request: Request, seq: Seq, _: Annotated[User, Depends(require(READ_ALL))]) -> str:
    return state(request).workspace.source_text(seq) or ""


@router.get("/verify")
def verify(
    request: Request,
    _: Annotated[User, Depends(require(VERIFY))],
    expect_head: Annotated[str | None, Query(max_length=64)] = None,
) -> dict[str, Any]:
    return state(request).workspace.verify(expect_head).to_json()


@router.post("/documents/extract")
async def extract(
    request: Request, file: Annotated[UploadFile, File()], _: Annotated[User, Depends(require(RECORD))]
) -> dict[str, Any]:
    """A filed exhibit as extract JSON (nothing recorded); `upload_id` names the kept file."""
    from distplan.model import instrument_to_json

    web = state(request)
    upload = await read_upload(file)
    inst = web.workspace.extract(upload)
    return {"upload_id": web.uploads.put(upload), "instrument": instrument_to_json(inst)}


class InstrumentBody(BaseModel):
    instrument: dict[str, Any] = Field(description="An instrument in `distplan extract` JSON.")
    source_text: str | None = Field(None, description="The filing's text (default: the JSON itself).")
    upload_id: str | None = Field(None, description="An extracted upload whose text is the source.")
    force: bool = Field(False, description="Record despite extraction errors.")


def _record_instrument(
    request: Request, plan_id: PlanId | None, body: InstrumentBody, user: User
) -> dict[str, Any]:
    from distplan.ledger.plankey import plan_classes, plan_key, plan_title
    from distplan.model import instrument_from_json

    web = state(request)
    inst = instrument_from_json(body.instrument, where="instrument")
    if plan_id is not None:
        plan = web.workspace.plan(plan_id)
        if plan_key(plan_title(inst), plan_classes(inst)) != plan.key:
            raise Conflict(
                f"the instrument names another plan than plan {plan_id} ({plan.label})", "instrument"
            )
    if body.upload_id is not None:
        upload = web.uploads.get(body.upload_id)
        source, name = upload.text, upload.name
    else:
        source = body.source_text if body.source_text is not None else json.dumps(body.instrument, indent=2)
        name = inst.source.path or "instrument.json"
    done = web.workspace.record_reviewed(
        body.instrument, source, name=name, recorded_at=web.clock(), recorded_by=user.name, force=body.force
    )
    return done.to_json()


@router.post("/plans/{plan_id}/instruments", status_code=201)
def record_instrument(
    request: Request, plan_id: PlanId, body: InstrumentBody, user: Annotated[User, Depends(require(RECORD))]
) -> dict[str, Any]:
    """Record extract JSON into this plan (409 if the instrument names another plan)."""
    return _record_instrument(request, plan_id, body, user)


@router.post("/instruments", status_code=201)
def record_new_instrument(
    request: Request, body: InstrumentBody, user: Annotated[User, Depends(require(RECORD))]
) -> dict[str, Any]:
    """Record extract JSON into the plan it names (made if new)."""
    return _record_instrument(request, None, body, user)


@router.post("/governance", status_code=201)
async def record_governance(
    request: Request,
    file: Annotated[UploadFile, File(description="A governance file (.yaml, .yml or .json).")],
    user: Annotated[User, Depends(require(RECORD))],
    plan: Annotated[str | None, Form(max_length=300)] = None,
) -> dict[str, Any]:
    from distplan.app.recording import is_governance

    web = state(request)
    upload = await read_upload(file)
    if not is_governance(upload):
        raise Invalid(f"{upload.name}: not a governance file (YAML, or JSON with governance facts)", "file")
    done = web.workspace.record([upload], recorded_at=web.clock(), recorded_by=user.name, plan_ref=plan)
    return done.to_json()


class TermsBody(BaseModel):
    effective: date
    source: str = Field(min_length=1, max_length=10_000)
    distribution: Decimal | None = Field(None, ge=0, le=100)
    service: Decimal | None = Field(None, ge=0, le=100)
    aggregate: Decimal | None = Field(None, ge=0, le=100)
    fund: str | None = Field(None, max_length=300)
    share_class: str | None = Field(None, max_length=100)


@router.post("/plans/{plan_id}/terms", status_code=201)
def set_terms(
    request: Request, plan_id: PlanId, body: TermsBody, user: Annotated[User, Depends(require(TERMS))]
) -> dict[str, Any]:
    web = state(request)
    rates = {"distribution": body.distribution, "service": body.service, "aggregate": body.aggregate}
    entry, plan, warnings = web.workspace.set_terms(
        plan_id,
        effective=body.effective,
        source=body.source,
        rates=rates,
        fund=body.fund,
        share_class=body.share_class,
        recorded_at=web.clock(),
        recorded_by=user.name,
    )
    return {**entry.to_json(), "payload": entry.payload, "plan": plan.to_json(), "warnings": warnings}


class VoidBody(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


@router.post("/entries/{seq}/void", status_code=201)
def void(
    request: Request, seq: Seq, body: VoidBody, user: Annotated[User, Depends(require(VOID))]
) -> dict[str, Any]:
    web = state(request)
    made = web.workspace.void(seq, body.reason, recorded_at=web.clock(), recorded_by=user.name)
    return {**made.to_json(), "payload": made.payload}


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


def _on_a_day(question: str, permission: str, doc: str) -> Callable[..., Response]:
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


def _in_a_window(question: str, permission: str, doc: str) -> Callable[..., Response]:
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


router.get("/plans/{plan_id}/diff")(
    _in_a_window("diff", READ, "Rows added, removed and changed between two days.")
)
router.get("/plans/{plan_id}/history")(
    _on_a_day("history", READ, "The plan's instruments and terms in effective order, with their status.")
)
router.get("/plans/{plan_id}/findings")(
    _on_a_day("findings", READ_ALL, "Rule 12b-1 and FINRA Rule 2341 findings with citations.")
)
router.get("/plans/{plan_id}/calendar")(
    _in_a_window("calendar", READ_ALL, "Deadlines in the window [from, to).")
)


class UserBody(BaseModel):
    name: str = Field(min_length=1, max_length=64)
    role: str = Field(max_length=32)
    password: str | None = Field(None, min_length=8, max_length=1000)


@router.get("/users")
def users(request: Request, _: Annotated[User, Depends(require(USERS))]) -> dict[str, Any]:
    return {"users": [u.to_json() for u in state(request).workspace.users.list()]}


@router.delete("/users/{name}/tokens")
def revoke_tokens(
    request: Request,
    name: Annotated[str, Path(min_length=1, max_length=64)],
    _: Annotated[User, Depends(require(USERS))],
) -> dict[str, Any]:
    """Revoke every API token of the user: refused from this request on."""
    web = state(request)
    count = web.workspace.users.revoke_tokens(name)
    web.forget_tokens()
    return {"user": name, "revoked": count}


@router.post("/users", status_code=201)
def add_user(request: Request, body: UserBody, _: Annotated[User, Depends(require(USERS))]) -> dict[str, Any]:
    web = state(request)
    return web.workspace.users.add(body.name, body.role, body.password, created_at=web.clock()).to_json()
