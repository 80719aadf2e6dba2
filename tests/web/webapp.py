"""A web app on a throwaway ledger: the three AIM amendments recorded, one user per role,
a bearer token for each, a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from aim_inputs import text_paths
from distplan.app import Upload, Workspace
from distplan.app.roles import ROLES
from distplan.web import create_app

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
PASSWORD = "correct horse battery"


@dataclass
class Site:
    app: FastAPI
    workspace: Workspace
    tokens: dict[str, str]  # role -> bearer token of the user named after the role
    directory: Path

    def auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}


@contextmanager
def site(directory: Path, *, record: bool = True) -> Iterator[Site]:
    ws = Workspace.open(f"sqlite:///{directory / 'distplan.db'}")
    try:
        if record:
            ups = [Upload(p.name, p.read_bytes()) for p in text_paths()]
            ws.record(ups, recorded_at=NOW, recorded_by="setup")
        tokens = {}
        for role in ROLES:
            ws.users.add(role, role, PASSWORD, created_at=NOW)
            tokens[role] = ws.users.issue_token(role, created_at=NOW)
        app = create_app(ws, secret_key="test-secret", uploads_dir=directory / "uploads", clock=lambda: NOW)
        yield Site(app, ws, tokens, directory)
    finally:
        ws.close()


def nav_csv(ws: Workspace, path: Path) -> Path:
    """Sample net assets for every fund-class the plan covers in November 2003."""
    from distplan import history as H
    from distplan.fees.sample import sample_nav, write_table

    plan = ws.plan(1)
    cov = H.coverage(ws.ledger.entries(), plan)
    write_table(sample_nav(cov, date(2003, 11, 1), date(2003, 12, 1), 12), path)
    return path


def sign_in(page: Any, base: str, name: str) -> None:
    """Sign in through the browser page (Playwright) as the user `name`."""
    page.goto(f"{base}/signin")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/plans")
