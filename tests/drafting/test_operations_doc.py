"""docs/operations.md documents every operation kind the fold applies and the JSON reader
accepts, and its example is an instrument the reader takes."""

from __future__ import annotations

import json
import re
from pathlib import Path

from distplan.history.fold import _Fold
from distplan.model import OPS, instrument_from_json

DOC = Path(__file__).resolve().parents[2] / "docs" / "operations.md"


def _documented() -> set[str]:
    return set(re.findall(r"^### `(\w+)`$", DOC.read_text(), re.M))


def test_every_operation_the_fold_applies_is_documented() -> None:
    applied = {name.removeprefix("_op_") for name in dir(_Fold) if name.startswith("_op_")} - {"other"}
    assert applied, "the fold's operations are its _op_* methods"
    assert applied <= set(OPS)  # nothing the fold applies that the JSON reader refuses
    assert set(OPS) - _documented() == set(), "undocumented in docs/operations.md"
    assert _documented() - set(OPS) == set(), "documented but unknown to the reader"


def test_the_example_is_an_instrument() -> None:
    example = re.search(r"```json\n(.*?)```", DOC.read_text(), re.S)
    assert example is not None
    inst = instrument_from_json(json.loads(example.group(1)), where="docs/operations.md")
    assert [op.op for op in inst.operations] == ["rename_fund", "replace_schedule"]
