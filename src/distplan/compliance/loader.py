"""Read a governance file (YAML or JSON) into `GovernanceFacts`, naming file, line and field of
the first problem; and turn facts into ledger payloads and back.

The file format is documented in docs/governance.md. Payloads (one per fact: the plan, a
meeting with its approvals, a shareholder vote, a report, an agreement, a record, the policies)
are the same items in the file's own format plus their source, so one reader parses both.
The modules: `govyaml` (YAML with line numbers), `govfields` (one field), `govreader` (the
sections), `govparse` (a document), `govpayloads` (ledger payloads); import from here.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from distplan.compliance import yamlsafe
from distplan.compliance.governance import GovernanceFacts
from distplan.compliance.govparse import parse_governance
from distplan.compliance.govpayloads import (
    governance_from_payloads,
    governance_payloads,
    payload_effective_date,
)
from distplan.compliance.govreader import SECTIONS
from distplan.compliance.govyaml import compose
from distplan.errors import InputError

__all__ = [
    "SECTIONS",
    "governance_from_payloads",
    "governance_payloads",
    "is_governance_document",
    "load_governance",
    "parse_governance",
    "payload_effective_date",
    "read_governance_text",
]


def read_governance_text(text: str, where: str) -> tuple[Any, dict[str, int]]:
    """Parse YAML or JSON text into plain data plus the line of every field."""
    yamlsafe.check_size(len(text.encode("utf-8", "surrogatepass")), where)
    stripped = text.lstrip()
    if where.lower().endswith(".json") or stripped.startswith("{"):
        try:
            data = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}:{exc.lineno}: not valid JSON: {exc.msg}") from None
        except RecursionError:
            raise InputError(f"{where}: refused: nested too deep") from None
        try:
            _, lines = compose(text, where)  # JSON is (nearly) YAML: reuse it for line numbers
        except InputError:
            lines = {}
        return data, lines
    return compose(text, where)


def load_governance(path: str | Path) -> GovernanceFacts:
    """Read a governance file (.yaml, .yml or .json); InputError names file:line: field."""
    p = Path(path)
    text = yamlsafe.decode(yamlsafe.read_bounded(p, "a governance file"), str(p))
    data, lines = read_governance_text(text, str(p))
    return parse_governance(data, str(p), lines)


def is_governance_document(data: Any) -> bool:
    """True for a parsed JSON/YAML document in the governance format (not an instrument)."""
    return isinstance(data, dict) and "kind" not in data and bool(set(data) & set(SECTIONS))
