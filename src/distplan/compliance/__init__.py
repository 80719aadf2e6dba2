"""Compliance: Rule 12b-1 and FINRA Rule 2341 conditions as checks that return findings with
citations, and the calendar of deadlines they imply.

Checks are pure functions of a `CheckInput` (instruments, rate periods per fund-class,
governance facts, the as-of date) and the rulebook (`rulebook.yaml`: rule texts, thresholds and
the dates each applies from). `distplan check` and `distplan calendar` gather the inputs from
the ledger; tests and programs can build them directly.
"""

from __future__ import annotations

from distplan.compliance.calendar import Deadline, deadlines
from distplan.compliance.checks import CHECKS
from distplan.compliance.engine import run_checks
from distplan.compliance.findings import Evidence, Finding, Subject, sort_findings, summary
from distplan.compliance.governance import (
    Agreement,
    Approval,
    ClassFacts,
    FundClass,
    GovernanceFacts,
    MajorityResult,
    Meeting,
    PlanFacts,
    Policies,
    QuarterlyReport,
    RecordKeeping,
    ShareholderVote,
    Tally,
    Where,
    majority_of_outstanding,
)
from distplan.compliance.inputs import (
    CheckInput,
    InstrumentRecord,
    RatePeriod,
    RateSpan,
    rate_periods_from_instruments,
)
from distplan.compliance.loader import (
    governance_from_payloads,
    governance_payloads,
    is_governance_document,
    load_governance,
    parse_governance,
    payload_effective_date,
)
from distplan.compliance.rulebook import Rule, Rulebook, load_rulebook

__all__ = [
    "CHECKS",
    "Agreement",
    "Approval",
    "CheckInput",
    "ClassFacts",
    "Deadline",
    "Evidence",
    "Finding",
    "FundClass",
    "GovernanceFacts",
    "InstrumentRecord",
    "MajorityResult",
    "Meeting",
    "PlanFacts",
    "Policies",
    "QuarterlyReport",
    "RatePeriod",
    "RateSpan",
    "RecordKeeping",
    "Rule",
    "Rulebook",
    "ShareholderVote",
    "Subject",
    "Tally",
    "Where",
    "deadlines",
    "governance_from_payloads",
    "governance_payloads",
    "is_governance_document",
    "load_governance",
    "load_rulebook",
    "majority_of_outstanding",
    "parse_governance",
    "payload_effective_date",
    "rate_periods_from_instruments",
    "run_checks",
    "sort_findings",
    "summary",
]
