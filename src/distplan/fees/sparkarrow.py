"""The Ibis PySpark backend, with in-memory tables (coverage, calendars, CSV input) handed to
Spark as Arrow (`createDataFrame(pyarrow.Table)`, PySpark 4) instead of through pandas.

Ibis 12 goes through pandas, a workaround for PySpark before 4.0: with pandas 3 an Arrow-backed
column of several chunks then fails in PySpark's converter, and without Arrow the rows go to
the executors pickled, which makes every executor run a Python of the driver's version. From
Arrow, Spark builds the rows in the JVM: executors run no Python, exact decimals stay decimals.
"""

from __future__ import annotations

from typing import Any

from ibis.backends.pyspark import Backend
from ibis.backends.pyspark.datatypes import PySparkSchema


class ArrowSparkBackend(Backend):
    def _register_in_memory_table(self, op: Any) -> None:
        data = op.data.to_pyarrow(op.schema).combine_chunks()
        frame = self._session.createDataFrame(data, schema=PySparkSchema.from_ibis(op.schema))
        frame.createOrReplaceTempView(op.name)


def connect(session: Any) -> ArrowSparkBackend:
    return ArrowSparkBackend().connect(session)  # as ibis.pyspark.connect(session), on our class
