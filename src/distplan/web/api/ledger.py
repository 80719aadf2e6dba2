"""The ledger's entries: health (how many), the entries a page at a time, an entry's source
text, and the hash chain's verification."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import PlainTextResponse, Response

from distplan.app.paging import page_list
from distplan.app.roles import READ_ALL, VERIFY
from distplan.app.users import User
from distplan.web.api.common import PAGE_DEFAULT, LimitQ, OffsetQ, Seq, as_json
from distplan.web.auth import require, state

router = APIRouter()


@router.get("/health")
def health(request: Request) -> dict[str, Any]:
    ws = state(request).workspace
    return {"status": "ok", "entries": ws.head_seq()}


@router.get("/entries")
def entries(
    request: Request,
    as_of: date,
    _: Annotated[User, Depends(require(READ_ALL))],
    offset: OffsetQ = 0,
    limit: LimitQ = PAGE_DEFAULT,
) -> Response:
    """The ledger's entries, newest first, a page at a time, with their status on `as_of`."""
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
