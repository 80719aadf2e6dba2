"""What to record to clear a finding a draft would trigger: one sentence per rule, naming the
governance fact (docs/governance.md) or the change to the draft that clears it."""

from __future__ import annotations

from datetime import date
from typing import Any

from distplan.model import Instrument

_GOVERNANCE = "docs/governance.md"


def _funds(finding: Any) -> str:
    subject = finding.subject
    if subject.members:
        return f"each of the {len(subject.members)} fund-classes ({subject.name})"
    return subject.name


def to_clear(finding: Any, draft: Instrument) -> str:
    """The fact to record (or the change to make) that clears `finding`."""
    number = draft.amendment_number
    effective: date | None = draft.effective_date
    rule = finding.rule
    if rule == "12b-1(b)(2)":
        return (
            f"record a board meeting on or before {effective} (in_person: true, called_for_purpose: true; "
            "board and qualified directors each by a majority) with an approval "
            f"{{what: amendment, amendment: {number}, class: ..., funds: [...]}} naming every fund of the "
            f"new Schedule A ({_GOVERNANCE})"
        )
    if rule == "12b-1(b)(4)-(5)":
        return f"the approval of Amendment No. {number} must be dated on or before its effective date {effective}"
    if rule == "12b-1(b)(4)":
        return (
            f"record a shareholder vote of {_funds(finding)} on or before {effective} "
            "(matter: amendment, max_rate at least the new rate, outstanding/present/for counts that make "
            f"a majority of the outstanding voting securities under ICA 2(a)(42)) ({_GOVERNANCE}), "
            "or keep the rate (drop the --set-rates)"
        )
    if rule == "12b-1(b)(3)(i)":
        return (
            f"record a continuance (what: continuance) of {_funds(finding)} by the board and the "
            f"qualified directors, in person, within a year of the last approval ({_GOVERNANCE})"
        )
    if rule == "12b-1(g)":
        return (
            f"name every series and class in the approval of Amendment No. {number} "
            "(funds: [...] listing each fund, not 'all')"
        )
    if rule == "12b-1(e)":
        return "record the board's finding in the approval's findings (e.g. [no_material_increase])"
    if rule.startswith("finra-2341"):
        return (
            "lower the rate to the cap in the draft (--set-rates FUND:D,S,A); FINRA Rule 2341 binds the "
            "broker-dealers selling the fund, so no vote clears it"
        )
    if rule == "schedule-integrity":
        return "correct the draft (its schedule, dates or signatories) and preview it again"
    if rule == "12b-1(b)(1)" and finding.severity == "info":
        return (
            "record when the class was first offered (plan.classes[].first_offered) so the check can "
            f"tell whether a shareholder vote is needed ({_GOVERNANCE})"
        )
    if rule == "12b-1(b)(1)":
        return f"record a shareholder vote (matter: plan) of {_funds(finding)} ({_GOVERNANCE})"
    return f"see the finding's rule {rule} ({_GOVERNANCE})"
