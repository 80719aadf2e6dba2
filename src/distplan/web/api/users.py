"""Users (admin only): the list, a new user, and revoking a user's API tokens."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, Field

from distplan.app.roles import USERS
from distplan.app.users import User
from distplan.web.auth import require, state

router = APIRouter()


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
    return {"user": name, "revoked": state(request).workspace.users.revoke_tokens(name)}


@router.post("/users", status_code=201)
def add_user(request: Request, body: UserBody, _: Annotated[User, Depends(require(USERS))]) -> dict[str, Any]:
    web = state(request)
    return web.workspace.users.add(body.name, body.role, body.password, created_at=web.clock()).to_json()
