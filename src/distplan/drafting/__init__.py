"""Drafting the next amendment: build it from the plan's state (build.py, from the changes the
user states, changes.py) and preview it on a copy of the plan's history (preview.py): the diff,
coverage, the findings it would trigger with what clears each (remedies.py) and the fee change
(impact.py). Nothing here writes to the ledger; the Workspace's `draft` and `preview` call it.
"""

from __future__ import annotations

from distplan.drafting.build import Basis, basis, build_draft
from distplan.drafting.changes import (
    Addition,
    Changes,
    RateChange,
    Rename,
    Target,
    parse_additions,
    parse_rates,
    parse_rename,
    parse_set_rates,
    parse_target,
    read_schedule,
)
from distplan.drafting.impact import FeeImpact, FundImpact
from distplan.drafting.preview import Preview, plan_of, preview

__all__ = [
    "Addition",
    "Basis",
    "Changes",
    "FeeImpact",
    "FundImpact",
    "Preview",
    "RateChange",
    "Rename",
    "Target",
    "basis",
    "build_draft",
    "parse_additions",
    "parse_rates",
    "parse_rename",
    "parse_set_rates",
    "parse_target",
    "plan_of",
    "preview",
    "read_schedule",
]
