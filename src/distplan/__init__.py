"""distplan: Rule 12b-1 distribution plans as an executable, auditable record.

The public Python API. The pipeline's stages are importable from here; the heavier ones (the
ledger, the fee engines, compliance) load on first use so that `import distplan` stays fast.
Everything not listed in `__all__` is private and may change.
"""

from __future__ import annotations

import importlib
from typing import Any

from distplan.documents.extract import extract_path, extract_text
from distplan.errors import DistplanError, InputError
from distplan.model import (
    CoveragePeriod,
    Diagnostic,
    Instrument,
    Operation,
    PlanRef,
    Schedule,
    ScheduleRow,
    Source,
    instrument_from_json,
    instrument_to_json,
)
from distplan.periods import Period

__version__ = "0.1.0"

# name -> module that defines it, imported on first access (PEP 562)
_LAZY = {
    "render": "distplan.documents.render",
    "render_text": "distplan.documents.render",
    "render_docx": "distplan.documents.render",
    "render_pdf": "distplan.documents.render",
    "Ledger": "distplan.ledger",
    "Entry": "distplan.ledger",
    "Plan": "distplan.ledger",
    "plan_state": "distplan.history",
    "schedule_rows": "distplan.history",
    "diff": "distplan.history",
    "timeline": "distplan.history",
    "coverage": "distplan.history",
    "accrue": "distplan.fees",
    "payables": "distplan.fees",
    "true_up": "distplan.fees",
    "FeeOptions": "distplan.fees",
    "Engine": "distplan.fees",
    "run_checks": "distplan.compliance",
    "deadlines": "distplan.compliance",
    "load_governance": "distplan.compliance",
    "Finding": "distplan.compliance",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'distplan' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "CoveragePeriod",
    "Diagnostic",
    "DistplanError",
    "Engine",
    "Entry",
    "FeeOptions",
    "Finding",
    "InputError",
    "Instrument",
    "Ledger",
    "Operation",
    "Period",
    "Plan",
    "PlanRef",
    "Schedule",
    "ScheduleRow",
    "Source",
    "__version__",
    "accrue",
    "coverage",
    "deadlines",
    "diff",
    "extract_path",
    "extract_text",
    "instrument_from_json",
    "instrument_to_json",
    "load_governance",
    "payables",
    "plan_state",
    "render",
    "render_docx",
    "render_pdf",
    "render_text",
    "run_checks",
    "schedule_rows",
    "timeline",
    "true_up",
]
