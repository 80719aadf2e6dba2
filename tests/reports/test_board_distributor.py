"""The board report's distributor sections: the retention per fund-class and month (with
--positions) and the FINRA Rule 2341(d) remaining amount (with --sales and --prime), read back
from the XLSX equal to the Workspace's own figures to the cent, named in the PDF, the same bytes
twice. The remaining amount runs on a second ledger with HYPOTHETICAL 0.75% asset-based terms
(the demo's class-b ledger: Investor Class has no asset-based charge)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from readback import cents, pdf_text, sheet_rows
from reports_demo import STAMP, Demo, ok

from aim_inputs import AIM_DIR, ROOT, run_cli
from distplan.app import Workspace
from distplan.fees.remaining import MONEY
from distplan.reports import Report, write
from distplan.reports.board import Quarter, board
from distplan.reports.common import Scope
from distplan.reports.sources import read_positions

Q4 = Quarter(2003, 4)
DEALERS = ROOT / "examples" / "dealers"
SALES, PRIME = DEALERS / "sales.csv", DEALERS / "prime-rate.csv"


@pytest.fixture(scope="module")
def kept(scope: Scope, demo: Demo) -> Report:
    return board(scope, demo.nav, Q4, generated_at=STAMP, positions=demo.positions)


@pytest.fixture(scope="module")
def class_b(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    root = tmp_path_factory.mktemp("class-b")
    url = f"sqlite:///{root / 'class-b.db'}"
    amendments = [
        str(AIM_DIR / f"aim-investor-amend{n}.txt") for n in ("2-2003-11-03", "3-2003-11-20", "4-2003-11-24")
    ]
    ok("--db", url, "record", *amendments, "--recorded-at", "2003-12-01T12:00:00Z")
    ok("--db", url, "terms", "set", "--effective", "2003-07-01", "--distribution", "0.75", "--service", "0.25",
       "--source", "hypothetical: 0.75% asset-based, 0.25% service", "--recorded-at", "2003-12-02")  # fmt: skip
    nav = root / "nav.parquet"
    ok("--db", url, "sample-data", "--from", "2003-09-30", "--to", "2004-01-01", "--out", str(nav))
    return url, nav


def test_retention_equals_the_workspace_to_the_cent(kept: Report, scope: Scope, demo: Demo) -> None:
    expected = scope.workspace.retention(None, demo.nav, read_positions(demo.positions), Q4.start, Q4.end)
    rows = sheet_rows(write(kept, "xlsx")[0], "Retention")
    head = next(i for i, r in enumerate(rows) if r[0] == "Month")
    body = [r for r in rows[head + 1 :] if str(r[0]).startswith("2003-")]
    assert len(body) == len(expected.rows) > 10
    assert "2003-12" in {r[0] for r in body} <= {"2003-10", "2003-11", "2003-12"}
    for r, e in zip(body, expected.rows, strict=True):
        assert (r[0], r[1], r[2], r[7]) == (e["month"], e["fund"], e["share_class"], e["dealers"])
        assert tuple(cents(v) for v in (*r[3:7], r[8])) == tuple(
            e[c] for c in ("fee_distribution", "fee_service", "fee", "trails_accrued", "retained")
        )
    held = [e for e in expected.rows if e["trails_accrued"] > 0]
    assert held and all(e["retained"] == e["fee"] - e["trails_accrued"] for e in held)
    total = next(s for s in kept.sections if s.title == "Distributor retention, 2003-Q4").total
    assert total is not None and total[-1] == expected.total["retained"]


def test_retention_warns_when_the_trails_exceed_the_fee(kept: Report, scope: Scope, demo: Demo) -> None:
    section = next(s for s in kept.sections if s.title.startswith("Distributor retention"))
    over = [r for r in section.rows if r[-1] < 0]
    warned = [n for n in section.notes if "exceed the fund's fee" in n]
    assert len(warned) == len(over)
    assert all(w in kept.warnings for w in warned)


def test_remaining_equals_the_workspace_and_names_the_finding(class_b: tuple[str, Path]) -> None:
    url, nav = class_b
    with Workspace.open(url) as ws:
        report = board(Scope(ws), nav, Q4, generated_at=STAMP, sales=SALES, prime=PRIME)
        expected = ws.remaining(None, nav, SALES, PRIME, date(2003, 12, 31))
    section = next(s for s in report.sections if s.title.startswith("FINRA Rule 2341(d)"))
    assert section.title.endswith("2003-12-31")
    rows = sheet_rows(write(report, "xlsx")[0], "Remaining")
    head = next(i for i, r in enumerate(rows) if r[0] == "Fund")
    body = [r for r in rows[head + 1 :] if r[0] not in (None, "Total")]
    assert len(body) == len(expected.result.rows) == 2
    for r, e in zip(body, expected.result.rows, strict=True):
        assert (r[0], tuple(cents(v) for v in r[2:10])) == (e["fund"], tuple(e[m] for m in MONEY))
    negative = [e for e in expected.result.rows if e["first_negative"] is not None]
    assert negative and len(expected.findings) == len(negative)  # the sample's Energy Fund runs out
    assert any("2341" in n and negative[0]["fund"] in n for n in section.notes)
    text = pdf_text(write(report, "pdf")[0])
    assert "FINRA Rule 2341(d) remaining amount" in text and "Quarterly report to the board" in text
    for fmt in ("pdf", "xlsx"):
        assert write(report, fmt)[0] == write(report, fmt)[0]


def test_retention_in_the_pdf_and_the_same_bytes_twice(kept: Report) -> None:
    data = write(kept, "pdf")[0]
    assert "Distributor retention, 2003-Q4" in pdf_text(data) and data == write(kept, "pdf")[0]


@pytest.mark.parametrize("given", [["--sales", str(SALES)], ["--prime", str(PRIME)]])
def test_sales_and_prime_go_together(given: list[str], demo: Demo, tmp_path: Path) -> None:
    out = tmp_path / "b.pdf"
    result = run_cli("--db", demo.url, "report", "board", "--quarter", "2003Q4", "--nav", str(demo.nav),
                     "-o", str(out), *given)  # fmt: skip
    assert result.code == 2 and result.err.strip() == "distplan: --sales FILE and --prime FILE go together"
    assert not out.exists()
