"""distplan: Rule 12b-1 distribution plans as an executable, auditable record.

The public Python API; everything else is private and may change.
"""

from __future__ import annotations

from distplan.errors import DistplanError, InputError
from distplan.model import (
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

__all__ = [
    "Diagnostic",
    "DistplanError",
    "InputError",
    "Instrument",
    "Operation",
    "Period",
    "PlanRef",
    "Schedule",
    "ScheduleRow",
    "Source",
    "__version__",
    "instrument_from_json",
    "instrument_to_json",
]
