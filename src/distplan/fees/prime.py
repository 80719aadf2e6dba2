"""The prime rate for the FINRA remaining amount's interest: `date, rate` rows, each the rate
(percent a year, e.g. `4.00`) in force from that date until the next row's date.

CSV (lines starting with `#` are comments: the bundled file names its source there) or
Parquet. Rates are text read exactly (at most 4 decimals, 0 to 100); a date given twice and an
empty file are refused naming the place. examples/dealers/prime-rate.csv is bundled: the bank
prime loan rate (Federal Reserve H.15) for 2001-2005.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from distplan.errors import InputError
from distplan.fees.sales import day_of, records


@dataclass(frozen=True)
class PrimeRates:
    days: tuple[date, ...]  # ascending
    rates: tuple[Decimal, ...]  # percent a year
    where: str

    def on(self, day: date) -> Decimal:
        """The rate in force on `day`; InputError if the file starts after it."""
        i = bisect.bisect_right(self.days, day) - 1
        if i < 0:
            raise InputError(
                f"{self.where}: no prime rate in force on {day} (the file starts {self.days[0]})"
            )
        return self.rates[i]


def _rate(text: str) -> Decimal:
    try:
        rate = Decimal(text.strip().removesuffix("%").strip())
    except InvalidOperation:
        raise ValueError("is not a rate (percent a year, e.g. 4.00)") from None
    exponent = rate.as_tuple().exponent
    if not rate.is_finite() or not isinstance(exponent, int) or -exponent > 4 or not 0 <= rate <= 100:
        raise ValueError("must be a percentage from 0 to 100 with at most 4 decimals")
    return rate


def read_prime(path: Path) -> PrimeRates:
    found: dict[date, tuple[Decimal, str]] = {}
    for where, cells, _ in records(path, ("date", "rate"), "prime rates"):
        try:
            day = day_of(cells["date"])
        except ValueError as exc:
            raise InputError(f"{where}: date {cells['date']!r} {exc}") from None
        value = cells["rate"]
        if isinstance(value, float):
            raise InputError(f"{where}: rate must be text or a decimal column, not floating point")
        try:
            rate = _rate(str(value if value is not None else ""))
        except ValueError as exc:
            raise InputError(f"{where}: rate {value!r} {exc}") from None
        if day in found:
            raise InputError(f"{where}: a second rate from {day} (first: {found[day][1]})")
        found[day] = (rate, where)
    if not found:
        raise InputError(f"{path}: no prime rates")
    days = tuple(sorted(found))
    return PrimeRates(days, tuple(found[d][0] for d in days), str(path))
