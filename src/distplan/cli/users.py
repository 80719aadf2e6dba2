"""CLI commands: `distplan users add|token|list`, the people who use the web app and API."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import Annotated

import typer

from distplan.app.roles import ROLES
from distplan.cli.app import DB_META, app
from distplan.cli.output import echo_json, out
from distplan.errors import InputError

users_app = typer.Typer(help="Users of the web app and API, and their roles.", no_args_is_help=True)
app.add_typer(users_app, name="users")


def _workspace(ctx: typer.Context):  # type: ignore[no-untyped-def]
    from distplan.app import Workspace

    url = ctx.find_root().meta.get(DB_META)
    return Workspace.open(url if isinstance(url, str) else None)


@users_app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The user's name (no spaces).")],
    role: Annotated[str, typer.Option("--role", help=f"One of {', '.join(ROLES)}.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read a password (first line) from standard input.")
    ] = False,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Add a user. Without --password-stdin the user signs in with API tokens only."""
    password = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise InputError("--password-stdin: standard input has no password")
    with _workspace(ctx) as ws:
        user = ws.users.add(name, role, password, created_at=datetime.now(UTC))
    if json_:
        echo_json(json.dumps(user.to_json()))
    else:
        out.print(f"added user {user.name} ({user.role})", markup=False)


@users_app.command("token")
def token(ctx: typer.Context, name: Annotated[str, typer.Argument(help="The user's name.")]) -> None:
    """Print a new bearer token for the API (shown once; only its hash is kept)."""
    with _workspace(ctx) as ws:
        typer.echo(ws.users.issue_token(name, created_at=datetime.now(UTC)))


@users_app.command("revoke")
def revoke(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The user's name.")],
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Revoke every API token of the user (a running server refuses them from its next
    request)."""
    with _workspace(ctx) as ws:
        count = ws.users.revoke_tokens(name)
    if json_:
        echo_json(json.dumps({"user": name.strip(), "revoked": count}))
    else:
        out.print(f"revoked {count} {'token' if count == 1 else 'tokens'} of {name.strip()}", markup=False)


@users_app.command("list")
def list_users(
    ctx: typer.Context, json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
) -> None:
    """The users and their roles."""
    with _workspace(ctx) as ws:
        found = ws.users.list()
    if json_:
        echo_json(json.dumps({"users": [u.to_json() for u in found]}))
        return
    if not found:
        out.print("no users yet: distplan users add NAME --role ROLE --password-stdin")
    for u in found:
        out.print(f"{u.name}\t{u.role}", markup=False)
