"""Users of the web app and API: names, roles, argon2 password hashes and API tokens.

Users are kept in the ledger's database but are not ledger entries. A token is 32 random
bytes shown once; only its SHA-256 is stored (a high-entropy secret needs no slow hash).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from distplan.app.errors import Conflict, Invalid, NotFound
from distplan.app.roles import ROLES
from distplan.ledger.schema import api_tokens as K
from distplan.ledger.schema import users as U

_HASHER = PasswordHasher()
_NAME_MAX = 64
_TOKEN_PREFIX = "dp_"


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "role": self.role}


def _user(row: Any) -> User:
    return User(row.id, row.name, row.role)


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > _NAME_MAX or not name.isprintable() or any(c.isspace() for c in name):
        raise Invalid(
            f"user name {name[:_NAME_MAX]!r}: 1-{_NAME_MAX} printable characters, no spaces", "name"
        )
    return name


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise Invalid(f"role {role!r}: expected one of {', '.join(ROLES)}", "role")
    return role


class Users:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, name: str, role: str, password: str | None, *, created_at: datetime) -> User:
        name, role = _check_name(name), _check_role(role)
        if password is not None and len(password) < 8:
            raise Invalid("a password needs at least 8 characters", "password")
        hashed = _HASHER.hash(password) if password else None
        try:
            with self.engine.begin() as conn:
                key = conn.execute(
                    U.insert().values(name=name, role=role, password_hash=hashed, created_at=created_at)
                ).inserted_primary_key
                new_id = key[0] if key is not None else 0
        except IntegrityError:
            raise Conflict(f"user {name!r} already exists", "name") from None
        return User(int(new_id), name, role)

    def list(self) -> list[User]:
        with self.engine.connect() as conn:
            return [_user(r) for r in conn.execute(select(U).order_by(U.c.name))]

    def get(self, name: str) -> User:
        with self.engine.connect() as conn:
            row = conn.execute(select(U).where(U.c.name == name.strip())).first()
        if row is None:
            raise NotFound(f"user {name!r}: no such user", "name")
        return _user(row)

    def authenticate(self, name: str, password: str) -> User | None:
        """The user if the password is theirs; None otherwise (no hint which part was wrong)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(U).where(U.c.name == name.strip())).first()
        if row is None or not row.password_hash:
            _HASHER.hash("x" * 12)  # same work either way: no timing hint that the name exists
            return None
        try:
            _HASHER.verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        return _user(row)

    def issue_token(self, name: str, *, created_at: datetime) -> str:
        """A new bearer token for the user; only its hash is kept."""
        user = self.get(name)
        token = _TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            conn.execute(
                K.insert().values(user_id=user.id, token_sha256=_digest(token), created_at=created_at)
            )
        return token

    def revoke_tokens(self, name: str) -> int:
        """Revoke every token of the user (their rows are deleted: a token is refused from
        the next lookup on); how many there were."""
        user = self.get(name)
        with self.engine.begin() as conn:
            return int(conn.execute(K.delete().where(K.c.user_id == user.id)).rowcount or 0)

    def for_token(self, token: str) -> User | None:
        if not token.startswith(_TOKEN_PREFIX) or len(token) > 200:
            return None
        with self.engine.connect() as conn:  # asked on every API request: the columns a User needs
            row = conn.execute(
                select(U.c.id, U.c.name, U.c.role)
                .join(K, K.c.user_id == U.c.id)
                .where(K.c.token_sha256 == _digest(token))
            ).first()
        return _user(row) if row is not None else None

    def by_id(self, user_id: int) -> User | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(U).where(U.c.id == user_id)).first()
        return _user(row) if row is not None else None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
