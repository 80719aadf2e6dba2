"""Compliance: a plan's findings on a day and its deadlines over a window."""

from __future__ import annotations

from fastapi import APIRouter

from distplan.app.roles import READ_ALL
from distplan.web.api.common import in_a_window, on_a_day

router = APIRouter()

router.get("/plans/{plan_id}/findings")(
    on_a_day("findings", READ_ALL, "Rule 12b-1 and FINRA Rule 2341 findings with citations.")
)
router.get("/plans/{plan_id}/calendar")(
    in_a_window("calendar", READ_ALL, "Deadlines in the window [from, to).")
)
