"""Frozen records shared by every stage: documents, ledger, history, fees, compliance.

An `Instrument` is what one filed document says (a plan, a schedule, an amendment) with the
provenance of every value. Its JSON form is the output of `distplan extract` and an input of
`distplan record`; `instrument_to_json` and `instrument_from_json` are the only (de)serialisers.
Rates are percent per annum as `Decimal` ("0.25" means 0.25% a year), kept exactly as stated.

The modules: `rates` (the cap rule), `names` (name folding, the fund-class key), `instruments`
(documents and coverage periods), `categories` (Form N-1A Item 19(g)), `codec` (JSON). Import
from `distplan.model`; every public name is here.
"""

from distplan.model.categories import N1ACategory
from distplan.model.codec import instrument_from_json, instrument_to_json, operation_to_json, row_to_json
from distplan.model.instruments import (
    KINDS,
    OPS,
    CoveragePeriod,
    Diagnostic,
    Instrument,
    Kind,
    Level,
    Operation,
    PlanRef,
    Schedule,
    ScheduleRow,
    Source,
)
from distplan.model.names import FundClassKey, fold_class, fold_name, suggest
from distplan.model.rates import ALLOCATION, ZERO_RATE, Charged, Rates, rate_text

__all__ = [
    "ALLOCATION",
    "KINDS",
    "OPS",
    "ZERO_RATE",
    "Charged",
    "CoveragePeriod",
    "Diagnostic",
    "FundClassKey",
    "Instrument",
    "Kind",
    "Level",
    "N1ACategory",
    "Operation",
    "PlanRef",
    "Rates",
    "Schedule",
    "ScheduleRow",
    "Source",
    "fold_class",
    "fold_name",
    "instrument_from_json",
    "instrument_to_json",
    "operation_to_json",
    "rate_text",
    "row_to_json",
    "suggest",
]
