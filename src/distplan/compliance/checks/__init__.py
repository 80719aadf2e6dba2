"""One function per requirement: `check(inp: CheckInput, book: Rulebook) -> list[Finding]`.

`CHECKS` lists them in the order the engine runs them, each with the rulebook ids it cites.
"""

from __future__ import annotations

from collections.abc import Callable

from distplan.compliance.checks.approvals import (
    check_amendment_timing,
    check_annual_continuance,
    check_board_findings,
    check_initial_approval,
    check_per_class_action,
)
from distplan.compliance.checks.documents import (
    check_agreement_terms,
    check_directed_brokerage,
    check_record_retention,
    check_schedule_integrity,
    check_written_plan,
)
from distplan.compliance.checks.finra import check_finra_caps
from distplan.compliance.checks.reports import check_quarterly_reports
from distplan.compliance.checks.shareholders import check_material_increase, check_shareholder_approval
from distplan.compliance.findings import Finding
from distplan.compliance.inputs import CheckInput
from distplan.compliance.rulebook import Rulebook

Check = Callable[[CheckInput, Rulebook], list[Finding]]

CHECKS: tuple[tuple[str, Check, tuple[str, ...]], ...] = (
    ("written-plan", check_written_plan, ("12b-1(b)",)),
    ("shareholder-approval", check_shareholder_approval, ("12b-1(b)(1)", "ica-2(a)(42)")),
    ("initial-approval", check_initial_approval, ("12b-1(b)(2)",)),
    ("annual-continuance", check_annual_continuance, ("12b-1(b)(3)(i)",)),
    ("quarterly-reports", check_quarterly_reports, ("12b-1(b)(3)(ii)",)),
    ("agreement-terms", check_agreement_terms, ("12b-1(b)(3)(iv)",)),
    ("material-increase", check_material_increase, ("12b-1(b)(4)", "ica-2(a)(42)")),
    ("amendment-approval", check_amendment_timing, ("12b-1(b)(4)-(5)",)),
    ("board-findings", check_board_findings, ("12b-1(e)",)),
    ("record-retention", check_record_retention, ("12b-1(f)",)),
    ("per-class-action", check_per_class_action, ("12b-1(g)",)),
    ("directed-brokerage", check_directed_brokerage, ("12b-1(h)",)),
    (
        "finra-caps",
        check_finra_caps,
        (
            "finra-2341.asset-based",
            "finra-2341.service",
            "finra-2341.no-load",
            "finra-2341.aggregate",
        ),
    ),
    ("schedule-integrity", check_schedule_integrity, ("schedule-integrity",)),
)

__all__ = [
    "CHECKS",
    "Check",
    "check_agreement_terms",
    "check_amendment_timing",
    "check_annual_continuance",
    "check_board_findings",
    "check_directed_brokerage",
    "check_finra_caps",
    "check_initial_approval",
    "check_material_increase",
    "check_per_class_action",
    "check_quarterly_reports",
    "check_record_retention",
    "check_schedule_integrity",
    "check_shareholder_approval",
    "check_written_plan",
]
