"""NYSE weekday closures (holidays and unscheduled closings) from 1990-01-02 to 2045-12-30 (exclusive), as
exchange_calendars' XNYS calendar gives them; the sessions are the other weekdays. Building
sessions from this table saves importing and constructing that calendar on every run (~0.7 s).
`tests/fees` checks it against exchange_calendars; `calendar.py` uses exchange_calendars
outside this range. Regenerate with `python -m distplan.fees.nyse_closed`.
"""

from __future__ import annotations

from datetime import date, timedelta

FIRST = date(1990, 1, 2)  # the calendar's first session
END = date(2045, 12, 30)  # exclusive: the day after its last session

# year: "MMDD MMDD ..." of the weekdays the NYSE was (or is scheduled to be) closed.
_BY_YEAR: dict[int, str] = {
    1990: "0219 0413 0528 0704 0903 1122 1225",
    1991: "0101 0218 0329 0527 0704 0902 1128 1225",
    1992: "0101 0217 0417 0525 0703 0907 1126 1225",
    1993: "0101 0215 0409 0531 0705 0906 1125 1224",
    1994: "0221 0401 0427 0530 0704 0905 1124 1226",
    1995: "0102 0220 0414 0529 0704 0904 1123 1225",
    1996: "0101 0219 0405 0527 0704 0902 1128 1225",
    1997: "0101 0217 0328 0526 0704 0901 1127 1225",
    1998: "0101 0119 0216 0410 0525 0703 0907 1126 1225",
    1999: "0101 0118 0215 0402 0531 0705 0906 1125 1224",
    2000: "0117 0221 0421 0529 0704 0904 1123 1225",
    2001: "0101 0115 0219 0413 0528 0704 0903 0911 0912 0913 0914 1122 1225",
    2002: "0101 0121 0218 0329 0527 0704 0902 1128 1225",
    2003: "0101 0120 0217 0418 0526 0704 0901 1127 1225",
    2004: "0101 0119 0216 0409 0531 0611 0705 0906 1125 1224",
    2005: "0117 0221 0325 0530 0704 0905 1124 1226",
    2006: "0102 0116 0220 0414 0529 0704 0904 1123 1225",
    2007: "0101 0102 0115 0219 0406 0528 0704 0903 1122 1225",
    2008: "0101 0121 0218 0321 0526 0704 0901 1127 1225",
    2009: "0101 0119 0216 0410 0525 0703 0907 1126 1225",
    2010: "0101 0118 0215 0402 0531 0705 0906 1125 1224",
    2011: "0117 0221 0422 0530 0704 0905 1124 1226",
    2012: "0102 0116 0220 0406 0528 0704 0903 1029 1030 1122 1225",
    2013: "0101 0121 0218 0329 0527 0704 0902 1128 1225",
    2014: "0101 0120 0217 0418 0526 0704 0901 1127 1225",
    2015: "0101 0119 0216 0403 0525 0703 0907 1126 1225",
    2016: "0101 0118 0215 0325 0530 0704 0905 1124 1226",
    2017: "0102 0116 0220 0414 0529 0704 0904 1123 1225",
    2018: "0101 0115 0219 0330 0528 0704 0903 1122 1205 1225",
    2019: "0101 0121 0218 0419 0527 0704 0902 1128 1225",
    2020: "0101 0120 0217 0410 0525 0703 0907 1126 1225",
    2021: "0101 0118 0215 0402 0531 0705 0906 1125 1224",
    2022: "0117 0221 0415 0530 0620 0704 0905 1124 1226",
    2023: "0102 0116 0220 0407 0529 0619 0704 0904 1123 1225",
    2024: "0101 0115 0219 0329 0527 0619 0704 0902 1128 1225",
    2025: "0101 0109 0120 0217 0418 0526 0619 0704 0901 1127 1225",
    2026: "0101 0119 0216 0403 0525 0619 0703 0907 1126 1225",
    2027: "0101 0118 0215 0326 0531 0618 0705 0906 1125 1224",
    2028: "0117 0221 0414 0529 0619 0704 0904 1123 1225",
    2029: "0101 0115 0219 0330 0528 0619 0704 0903 1122 1225",
    2030: "0101 0121 0218 0419 0527 0619 0704 0902 1128 1225",
    2031: "0101 0120 0217 0411 0526 0619 0704 0901 1127 1225",
    2032: "0101 0119 0216 0326 0531 0618 0705 0906 1125 1224",
    2033: "0117 0221 0415 0530 0620 0704 0905 1124 1226",
    2034: "0102 0116 0220 0407 0529 0619 0704 0904 1123 1225",
    2035: "0101 0115 0219 0323 0528 0619 0704 0903 1122 1225",
    2036: "0101 0121 0218 0411 0526 0619 0704 0901 1127 1225",
    2037: "0101 0119 0216 0403 0525 0619 0703 0907 1126 1225",
    2038: "0101 0118 0215 0423 0531 0618 0705 0906 1125 1224",
    2039: "0117 0221 0408 0530 0620 0704 0905 1124 1226",
    2040: "0102 0116 0220 0330 0528 0619 0704 0903 1122 1225",
    2041: "0101 0121 0218 0419 0527 0619 0704 0902 1128 1225",
    2042: "0101 0120 0217 0404 0526 0619 0704 0901 1127 1225",
    2043: "0101 0119 0216 0327 0525 0619 0703 0907 1126 1225",
    2044: "0101 0118 0215 0415 0530 0620 0704 0905 1124 1226",
    2045: "0102 0116 0220 0407 0529 0619 0704 0904 1123 1225",
}

CLOSED: frozenset[date] = frozenset(
    date(year, int(md[:2]), int(md[2:])) for year, days in _BY_YEAR.items() for md in days.split()
)


def sessions(start: date, end: date) -> list[date]:
    """NYSE sessions in [start, end), which must lie within [FIRST, END)."""
    if start < FIRST or end > END:
        raise ValueError(f"{start} .. {end} is outside the table ({FIRST} .. {END})")
    out = []
    day = start
    one = timedelta(days=1)
    while day < end:
        if day.weekday() < 5 and day not in CLOSED:
            out.append(day)
        day += one
    return out


def generate() -> str:
    """The `_BY_YEAR` entries from exchange_calendars, to paste above when they change."""
    from distplan.periods import Period, nyse_sessions

    open_days = set(nyse_sessions(Period(FIRST, END)))
    by_year: dict[int, list[str]] = {}
    day = FIRST
    while day < END:
        if day.weekday() < 5 and day not in open_days:
            by_year.setdefault(day.year, []).append(day.strftime("%m%d"))
        day += timedelta(days=1)
    return "\n".join(f'    {y}: "{" ".join(v)}",' for y, v in sorted(by_year.items()))


if __name__ == "__main__":
    print(generate())
