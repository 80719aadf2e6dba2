"""FINRA Rule 2341(d) (NASD Conduct Rule 2830(d) before 2016): a finding for each fund-class
whose remaining amount (computed by `fees.remaining` from sales, net assets and the prime rate)
went below zero, citing the version of the rule in force on the day it did."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from distplan.compliance.checks.common import class_subject
from distplan.compliance.findings import Evidence, Finding, finding
from distplan.compliance.rulebook import Rulebook

RULE = "finra-2341.remaining-amount"


def remaining_amount_findings(rows: Iterable[dict[str, Any]], book: Rulebook) -> list[Finding]:
    out = []
    for r in rows:
        day = r["first_negative"]
        if day is None:
            continue
        rule = book.rule(RULE, on=day) or book.latest(RULE)
        message = (
            f"the remaining amount went below zero on {day} (at {r['as_of']}: {r['remaining']}): the "
            "asset-based sales charge must stop, or be suspended until new sales rebuild the cap"
        )
        evidence = [
            Evidence(
                f"from {r['from']}: cap {r['cap']} on gross sales {r['gross_sales']}, interest "
                f"{r['interest']}, charges {r['charges']} (asset-based {r['asset_based']}, loads "
                f"{r['loads_retained']}, CDSCs {r['cdsc_collected']})"
            )
        ]
        subject = class_subject([(r["fund"], r["share_class"] or None)])
        out.append(finding(rule, subject, message, evidence, key=str(day)))
    return out
