"""Recording: a filed exhibit extracted (nothing written), extract JSON recorded into a plan,
governance files, plan terms, and voiding an entry. Each write names the signed-in user."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from pydantic import BaseModel, Field

from distplan.app import Conflict, Invalid
from distplan.app.roles import RECORD, TERMS, VOID
from distplan.app.users import User
from distplan.web.api.common import PlanId, Seq, read_upload
from distplan.web.auth import require, state

router = APIRouter()


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
