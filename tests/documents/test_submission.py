"""Full EDGAR submissions (documents/submission.py): the Rule 12b-1 exhibits found among the
prospectus and other exhibits, each extracted on its own (issue 8 item 6, issue 14)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from distplan.documents.extract import extract_path
from distplan.documents.submission import exhibits, extract_any, is_submission
from distplan.errors import InputError

SAMPLES = Path(__file__).parent / "samples"
REFERENCE = (
    Path(__file__).resolve().parents[1] / "corpus" / "documents" / "aim-investor-amend2-2003-11-03.txt"
)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "distplan", *args], capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("name", ["submission-one-exhibit.txt", "submission-html-exhibit.txt"])
def test_the_exhibit_beside_a_prospectus_dated_otherwise(name: str) -> None:
    (inst,) = extract_any(SAMPLES / name)
    # The prospectus says "effective May 1, 2004", "Dated: April 30, 2004": never taken.
    assert inst.effective_date == date(2003, 11, 3)
    assert inst.kind == "amendment" and inst.amendment_number == 2
    assert inst.title.startswith("AMENDMENT NO. 2")
    assert inst.schedule is not None and len(inst.schedule.rows) == 18
    alone = extract_path(REFERENCE)
    assert [r.key for r in inst.schedule.rows] == [r.key for r in alone.schedule.rows]  # type: ignore[union-attr]
    # Provenance: the DOCUMENT block, and line numbers of the submission file itself.
    assert inst.source.path.endswith(f"{name}#2")
    assert "document 2 (EX-99" in inst.diagnostics[0].message
    lines = (SAMPLES / name).read_text().splitlines()
    assert inst.effective_date_lines is not None
    assert "2003" in " ".join(lines[inst.effective_date_lines[0] - 1 : inst.effective_date_lines[0] + 2])


def test_several_exhibits_each_on_its_own() -> None:
    found = extract_any(SAMPLES / "submission-two-exhibits.txt")
    assert [(i.amendment_number, i.effective_date) for i in found] == [
        (2, date(2003, 11, 3)),
        (3, date(2003, 11, 20)),
    ]
    assert [e.type for e in exhibits(SAMPLES / "submission-two-exhibits.txt")] == ["EX-99.M", "EX-99.B(m)(2)"]


def test_a_rule_18f_3_plan_and_the_prospectus_are_not_12b1_exhibits() -> None:
    with pytest.raises(InputError, match="no Rule 12b-1 exhibit"):
        extract_any(SAMPLES / "submission-no-exhibit.txt")


def test_a_plain_exhibit_is_no_submission() -> None:
    assert not is_submission(REFERENCE.read_bytes())
    assert len(extract_any(REFERENCE)) == 1


def test_cli_prints_one_exhibit_as_today_and_several_as_documents() -> None:
    one = run_cli("extract", str(SAMPLES / "submission-one-exhibit.txt"))
    assert one.returncode == 0, one.stderr
    assert json.loads(one.stdout)["effective_date"] == "2003-11-03"
    two = run_cli("extract", str(SAMPLES / "submission-two-exhibits.txt"))
    assert [d["amendment_number"] for d in json.loads(two.stdout)["documents"]] == [2, 3]
    none = run_cli("extract", str(SAMPLES / "submission-no-exhibit.txt"))
    assert none.returncode == 2 and none.stdout == ""
    assert len(none.stderr.strip().splitlines()) == 1 and "no Rule 12b-1 exhibit" in none.stderr


def test_a_large_submission_is_read_in_one_linear_pass(tmp_path: Path) -> None:
    # 20 MB of prospectus around the exhibit: only the exhibit is kept.
    sample = (SAMPLES / "submission-one-exhibit.txt").read_text()
    head, rest = sample.split("<TEXT>\n", 1)
    big = (
        head + "<TEXT>\n" + ("The Fund's shares are effective January 1, 1999. " * 40 + "\n") * 10_000 + rest
    )
    path = tmp_path / "big.txt"
    path.write_text(big)
    (inst,) = extract_any(path)
    assert inst.effective_date == date(2003, 11, 3) and len(inst.schedule.rows) == 18  # type: ignore[union-attr]
