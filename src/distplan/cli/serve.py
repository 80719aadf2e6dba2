"""CLI command: `distplan serve`, the web app and HTTP API on the same ledger as the CLI."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from distplan.cli.app import DB_META, app
from distplan.cli.output import err

SECRET_ENV = "DISTPLAN_SECRET_KEY"


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)] = 8000,
    uploads: Annotated[
        Path | None, typer.Option("--uploads", help="Keep uploaded files here (default: a temp dir).")
    ] = None,
) -> None:
    """Serve the web app and the JSON API (/api/v1, OpenAPI at /api/openapi.json).
    Sessions are signed with $DISTPLAN_SECRET_KEY (default: a new key each start)."""
    import uvicorn

    from distplan.app import Workspace
    from distplan.web import create_app

    url = ctx.meta.get(DB_META)
    workspace = Workspace.open(url if isinstance(url, str) else None)
    try:
        application = create_app(workspace, secret_key=os.environ.get(SECRET_ENV), uploads_dir=uploads)
        if not workspace.users.list():
            err.print("warning: no users yet; add one: distplan users add NAME --role admin --password-stdin")
        err.print(f"distplan: serving {workspace.url} on http://{host}:{port}/", markup=False)
        uvicorn.run(application, host=host, port=port, log_level="warning")
    finally:
        workspace.close()
