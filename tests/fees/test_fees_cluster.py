"""Spark for real: `fees accrue`, `fees payables` and `fees trails` on a Spark standalone cluster
(tests/spark_cluster.py: a master and a 1-core worker on 127.0.0.1, the executor a JVM of its
own that runs no Python) equal DuckDB to the cent, through the CLI and through the API.

The CLI runs in this process (`run_cli`), so it reuses the session's one Spark application: the
engine refuses a second master, so `--spark-master spark://...` really is the cluster. NAV and
output paths are given relative to the working directory: the executors run elsewhere (the
worker's app folder), so this fails unless distplan hands Spark absolute file: URLs.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from aim_inputs import record_aim, run_cli
from distplan.fees import Coverage, Engine, FeeOptions, payables
from distplan.periods import Period, nyse_sessions
from spark_cluster import SparkCluster

pytestmark = pytest.mark.spark

KEYS = [("fund", "ascending"), ("share_class", "ascending"), ("date", "ascending")]
AGREEMENTS = """\
dealers:
  - id: D001
    name: Alpha Securities LLC
    agreements:
      - {effective: 2003-11-01, funds: all, share_classes: [Investor], rate: "0.25", frequency: quarterly,
         minimum_payment: "100.00", prepaid_months: 0}
      - {effective: 2003-12-16, funds: [INVESCO Dynamics Fund], share_classes: all, rate: "0.2",
         frequency: quarterly, minimum_payment: "100.00", prepaid_months: 12}
  - id: D002
    name: Small Brokers Inc
    agreements:
      - {effective: 2003-11-01, funds: all, share_classes: all, rate: "0.1234", frequency: monthly,
         minimum_payment: "5000.00", prepaid_months: 0}
"""


def test_the_work_runs_on_the_cluster_and_no_python_on_it(spark: Engine, spark_cluster: SparkCluster) -> None:
    context = spark.session.sparkContext
    assert context.master == spark_cluster.master_url
    assert context.pythonExec == str(spark_cluster.no_python)  # executors could not run Python
    (app,) = spark_cluster.status()["activeapps"]
    assert (app["name"], app["cores"]) == ("distplan-fees", 1)
    with pytest.raises(Exception, match="already runs Spark on spark://"):
        Engine.spark("local[1]")


@pytest.fixture(scope="module")
def aim(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The AIM ledger (Amendments 2-4 and the plan terms) and two months of sample NAV."""
    root = tmp_path_factory.mktemp("aim-cluster")
    url = f"sqlite:///{root / 'ledger.db'}"
    record_aim(url)
    terms = ("terms", "set", "--effective", "2003-07-01", "--source", "plan terms")
    assert run_cli("--db", url, *terms, "--distribution", "0", "--service", "0.25").code == 0
    made = run_cli("--db", url, "sample-data", "--from", "2003-11-01", "--to", "2004-01-01",
                   "--out", str(root / "nav.parquet"))  # fmt: skip
    assert made.code == 0, made.err
    return root, url


@pytest.fixture
def master(spark: Engine, spark_cluster: SparkCluster) -> str:
    """`--spark-master` for the CLI: the session's application is already on it."""
    return spark_cluster.master_url


def _json(url: str, *args: str, master: str | None = None) -> Any:
    """The command's JSON, on DuckDB or (with `master`) on the cluster."""
    engine = ("--engine", "spark", "--spark-master", master) if master else ()
    done = run_cli("--db", url, *args, "--json", *engine)
    assert done.code == 0, done.err
    return done.json()


def _both(url: str, master: str, *args: str) -> tuple[Any, Any]:
    return _json(url, *args), _json(url, *args, master=master)


def test_cli_payables_and_accrue_on_the_aim_sample(
    aim: tuple[Path, str], master: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, url = aim
    monkeypatch.chdir(root)  # relative paths: the executors' working directory is not ours
    on_duck, on_spark = _both(url, master, "fees", "payables", "--nav", "nav.parquet", "--month", "2003-11")
    assert len(on_duck["payables"]) == 19 and on_spark == on_duck
    assert sum(Decimal(r["fee"]) for r in on_duck["payables"]) > 0

    args = ("fees", "accrue", "--nav", "nav.parquet", "--from", "2003-11-01", "--to", "2004-01-01")
    on_duck = _json(url, *args, "--out", "duck.parquet")
    on_spark = _json(url, *args, "--out", "spark.parquet", master=master)
    assert on_duck["rows"] == on_spark["rows"] == 476 + 14 * 31
    assert on_spark["total"] == on_duck["total"]
    left, right = pq.read_table(root / "duck.parquet"), pq.read_table(root / "spark.parquet")
    assert right.sort_by(KEYS).to_pylist() == left.sort_by(KEYS).to_pylist()


def test_a_nav_url_goes_to_the_cluster_as_given(aim: tuple[Path, str], master: str) -> None:
    """A file:// URL is the file; another scheme is Spark's to read (the driver never opens
    it): with no S3 filesystem installed here, Spark's own refusal names the URL."""
    root, url = aim
    nav = (root / "nav.parquet").resolve().as_uri()
    args = ("fees", "payables", "--month", "2003-11")
    on_duck = _json(url, *args, "--nav", str(root / "nav.parquet"))
    assert _json(url, *args, "--nav", nav, master=master) == _json(url, *args, "--nav", nav) == on_duck
    engine = ("--engine", "spark", "--spark-master", master)
    done = run_cli("--db", url, *args, "--nav", "s3a://distplan-test/nav.parquet", *engine)
    assert done.code == 2 and done.err.count("\n") == 1, done.err
    assert done.err.startswith("distplan: s3a://distplan-test/nav.parquet: not a readable Parquet file:")
    assert "s3a" in done.err.split("file:", 1)[1]  # Spark's message: no FileSystem for scheme "s3a"


def test_cli_trails_on_the_cluster(aim: tuple[Path, str], master: str, tmp_path: Path) -> None:
    _, url = aim
    agreements = tmp_path / "agreements.yaml"
    agreements.write_text(AGREEMENTS)
    assert run_cli("--db", url, "dealers", "record", str(agreements)).code == 0
    rnd = random.Random(5)
    lines = ["date,dealer,fund,share_class,purchase_month,net_assets"]
    for day in nyse_sessions(Period(date(2003, 10, 25), date(2004, 1, 1))):
        for fund in ("INVESCO Dynamics Fund", "INVESCO Leisure Fund", "INVESCO Energy Fund"):
            if fund == "INVESCO Energy Fund" and day >= date(2003, 12, 10):
                continue  # transferred out mid-quarter: forfeited
            for lot in ("2003-01", "2003-06"):
                lines.append(f"{day},D001,{fund},Investor,{lot},{rnd.randrange(10**8, 10**10) / 100:.2f}")
        lines.append(
            f"{day},D002,INVESCO Leisure Fund,Investor,2003-09,{rnd.randrange(10**6, 10**8) / 100:.2f}"
        )
    positions = tmp_path / "positions.csv"
    positions.write_text("\n".join(lines) + "\n")
    # As Parquet the executors scan the file themselves (a CSV one is sent from the driver in
    # memory, as test_trails.py's table is, on this cluster too).
    scanned = tmp_path / "positions.parquet"
    pq.write_table(pacsv.read_csv(positions, convert_options=_POSITION_TYPES), scanned)
    got = {}
    for period in ("2003-Q4", "2003-12"):  # D001 is paid quarterly, D002 monthly
        trails = ("fees", "trails", "--period", period, "--positions")
        on_duck = _json(url, *trails, str(positions))
        on_spark = _json(url, *trails, str(scanned), master=master)
        assert on_duck["trails"] and on_spark == on_duck
        got[period] = on_spark
    energy = next(r for r in got["2003-Q4"]["trails"] if r["fund"] == "INVESCO Energy Fund")
    assert Decimal(energy["forfeited"]) == Decimal(energy["accrued"]) > 0


_POSITION_TYPES = pacsv.ConvertOptions(
    column_types={"net_assets": pa.decimal128(18, 2), "date": pa.date32(), "purchase_month": pa.string()}
)


def _generated(seed: int) -> tuple[list[Coverage], pa.Table, date, date]:
    """Fund-classes whose rates change mid-month and whose coverage has a gap, sub-cent and
    half-cent amounts, a missing session (carried), a leap-year February."""
    rnd = random.Random(seed)
    start, end = date(2004, 1, 1), date(2004, 4, 1)
    rates = [Decimal(x) for x in ("0", "0.25", "0.75", "0.12345", "1.00", "0.0625")]
    coverage: list[Coverage] = []
    nav: list[dict[str, Any]] = []
    sessions = nyse_sessions(Period(start - timedelta(days=5), end))
    for f in range(4):
        fund, cls = f"Fund {f}", ("A", "C")[f % 2]
        cuts = sorted(rnd.sample(range(5, 85), 2))
        bounds = [
            start - timedelta(days=3),
            start + timedelta(days=cuts[0]),
            start + timedelta(days=cuts[1]),
            None,
        ]
        for i in range(3):
            lo, hi = bounds[i], bounds[i + 1]
            if i == 2 and lo is not None:
                lo += timedelta(days=rnd.randrange(0, 4))  # a gap before the last period
            rd, rs = rnd.choice(rates), rnd.choice(rates)
            coverage.append(
                Coverage("Plan", "Trust", fund, cls, lo, hi, rd, rs, rd + rs, f"Amendment {i + 1}")
            )  # type: ignore[arg-type]
        skip = rnd.choice(sessions[5:])
        for day in sessions:
            if day != skip:
                cents = rnd.choice([73000, 219000, 365000, rnd.randrange(10**7, 10**11)])
                amount = Decimal(cents).scaleb(-2) + Decimal(rnd.randrange(0, 10)).scaleb(-3)
                nav.append({"fund": fund, "share_class": cls, "date": day, "net_assets": amount})
    schema = pa.schema([("fund", pa.string()), ("share_class", pa.string()), ("date", pa.date32()),
                        ("net_assets", pa.decimal128(38, 10))])  # fmt: skip
    return coverage, pa.Table.from_pylist(nav, schema=schema), start, end


def test_a_generated_case_payables(duck: Engine, spark: Engine) -> None:
    """(Daily rows and both roundings on the cluster: tests/fees/test_fees_engines.py.)"""
    coverage, nav, start, end = _generated(1)
    opts = FeeOptions(rounding="monthly-cents-half-even", carry_missing=True)
    want = payables(coverage, nav, start, end, engine=duck, options=opts)
    got = payables(coverage, nav, start, end, engine=spark, options=opts)
    assert want.table.num_rows >= 12
    assert got.table.equals(want.table)
    assert got.warnings == want.warnings and any("carr" in w.message for w in want.warnings)
