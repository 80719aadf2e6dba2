"""Run every check over one plan's inputs. Governance facts dated after the as-of date are set
aside first (a meeting that has not happened yet approves nothing). A check that fails on
unexpected data becomes an error finding naming it; the run never raises."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from distplan.compliance.checks import CHECKS
from distplan.compliance.findings import Finding, Subject, finding, sort_findings
from distplan.compliance.inputs import CheckInput
from distplan.compliance.rulebook import Rulebook, load_rulebook


def run_checks(
    inp: CheckInput, book: Rulebook | None = None, only: Iterable[str] | None = None
) -> list[Finding]:
    """All findings for the plan on `inp.as_of`, errors first."""
    book = book or load_rulebook()
    wanted = set(only) if only is not None else None
    known = replace(inp, governance=inp.governance.known_on(inp.as_of))
    findings: list[Finding] = []
    for name, check, _ in CHECKS:
        if wanted is not None and name not in wanted:
            continue
        try:
            findings.extend(check(known, book))
        except Exception as exc:  # a check must report bad data, never stop the run
            findings.append(
                finding(
                    book.latest("distplan.check-failed"),
                    Subject("check", name),
                    f"the {name} check could not evaluate this data: {type(exc).__name__}: {exc}",
                    key=name,
                )
            )
    return sort_findings(findings)
