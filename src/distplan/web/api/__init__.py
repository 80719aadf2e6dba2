"""The JSON API under /api/v1 (OpenAPI at /api/openapi.json). Every answer is the workspace's
`to_json`, the same JSON the CLI prints with --json. One router module per concern:
the ledger's entries (ledger.py), a plan's history (history.py), recording (recording.py),
fees (fees.py), compliance (compliance.py), users (users.py); what they share is common.py."""

from __future__ import annotations

from fastapi import APIRouter

from distplan.web.api import compliance, fees, history, ledger, recording, users

router = APIRouter(prefix="/api/v1")
for _concern in (ledger, history, recording, fees, compliance, users):
    router.include_router(_concern.router)
