"""`distplan users add|token|list|revoke`: a revoked token is refused by the next lookup."""

from __future__ import annotations

import json
from pathlib import Path

from aim_inputs import run_cli
from distplan.app import Workspace


def test_revoke_refuses_the_users_tokens(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'users.db'}"
    assert run_cli("--db", url, "init").code == 0
    for name in ("ana", "bo"):
        assert run_cli("--db", url, "users", "add", name, "--role", "auditor").code == 0
    ana = [run_cli("--db", url, "users", "token", "ana").out.strip() for _ in range(2)]
    bo = run_cli("--db", url, "users", "token", "bo").out.strip()
    with Workspace.open(url, create=False) as ws:
        assert [ws.users.for_token(t).name for t in (*ana, bo)] == ["ana", "ana", "bo"]  # type: ignore[union-attr]
    done = run_cli("--db", url, "users", "revoke", "ana")
    assert done.code == 0 and done.out.strip() == "revoked 2 tokens of ana"
    again = run_cli("--db", url, "users", "revoke", "ana", "--json")
    assert json.loads(again.out) == {"user": "ana", "revoked": 0}
    with Workspace.open(url, create=False) as ws:
        assert [ws.users.for_token(t) for t in ana] == [None, None]
        found = ws.users.for_token(bo)
        assert found is not None and found.name == "bo"  # another user's token stays
    unknown = run_cli("--db", url, "users", "revoke", "nobody")
    assert unknown.code == 2 and unknown.err.strip() == "distplan: user 'nobody': no such user"
