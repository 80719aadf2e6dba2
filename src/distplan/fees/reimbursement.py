"""Reimbursement plans (DOMAIN.md section 6): the month's computed fee is only a cap.

    paid      = min(cap, eligible expenses + carry-in)
    carry-out = eligible expenses + carry-in - paid     (0, forfeited, without carry-forward)

per fund-class, month after month in order. Expenses are given by Form N-1A Item 19(g)
category so the SAI table can be filled from the same record. Compensation plans (the default)
pay the fee itself and never come here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyarrow as pa

from distplan.errors import InputError, read_input_text
from distplan.model import Diagnostic, FundClassKey, N1ACategory
from distplan.periods import round_cents

# Form N-1A Item 19(g)(1) categories, in the form's order (the one enumeration: model.N1ACategory).
CATEGORIES: tuple[str, ...] = tuple(c.value for c in N1ACategory)
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Expense:
    month: str  # YYYY-MM
    fund: str
    share_class: str | None
    category: N1ACategory | str  # parsed with N1ACategory.parse
    amount: Decimal

    def __post_init__(self) -> None:
        object.__setattr__(self, "category", N1ACategory.parse(self.category))


def _money(value: str, where: str) -> Decimal:
    try:
        amount = Decimal(value.strip().replace(",", "").lstrip("$"))
    except InvalidOperation:
        raise InputError(f"{where}: amount {value!r} is not a number") from None
    if not amount.is_finite() or amount < 0:
        raise InputError(f"{where}: amount {value!r} must be a non-negative number")
    return amount


def read_expenses(path: Path) -> list[Expense]:
    """CSV with columns month (YYYY-MM), fund, share_class, category, amount."""
    try:
        with io.StringIO(read_input_text(path), newline="") as handle:
            reader = csv.DictReader(handle)
            need = {"month", "fund", "category", "amount"}
            have = {f.strip() for f in reader.fieldnames or []}
            if not need <= have:
                raise InputError(f"{path}: expenses need columns month, fund, share_class, category, amount")
            out = []
            for line, raw in enumerate(reader, start=2):
                row = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
                where = f"{path}:{line}"
                month = row["month"]
                if len(month) != 7 or month[4] != "-" or not (month[:4] + month[5:]).isdigit():
                    raise InputError(f"{where}: month {month!r} is not YYYY-MM")
                try:
                    category = N1ACategory.parse(row["category"])
                except InputError as exc:
                    raise InputError(f"{where}: category: {exc}") from None
                if not row["fund"]:
                    raise InputError(f"{where}: fund is empty")
                out.append(
                    Expense(
                        month,
                        row["fund"],
                        row.get("share_class") or None,
                        category,
                        _money(row["amount"], where),
                    )
                )
            return out
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None


def read_carry_in(path: Path) -> dict[FundClassKey, Decimal]:
    """CSV with columns fund, share_class, amount: unreimbursed balances brought forward."""
    try:
        with io.StringIO(read_input_text(path), newline="") as handle:
            reader = csv.DictReader(handle)
            if not {"fund", "amount"} <= {f.strip() for f in reader.fieldnames or []}:
                raise InputError(f"{path}: carry-in needs columns fund, share_class, amount")
            out: dict[FundClassKey, Decimal] = {}
            for line, raw in enumerate(reader, start=2):
                row = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
                key = FundClassKey.of(row["fund"], row.get("share_class") or None)
                out[key] = out.get(key, ZERO) + _money(row["amount"], f"{path}:{line}")
            return out
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None


def reimburse(
    payables: pa.Table,
    expenses: Iterable[Expense],
    carry_in: Mapping[FundClassKey, Decimal] | None = None,
    *,
    carry_forward: bool = True,
) -> tuple[pa.Table, list[Diagnostic]]:
    """Payables of a reimbursement plan: the payables' `fee` is the cap. Returns the rows with
    expenses (total and per category), carry_in, paid, carry_out and forfeited, and warnings
    for expenses of fund-classes or months without a payable."""
    by_row: dict[tuple[str, FundClassKey], dict[str, Decimal]] = {}
    named: dict[tuple[str, FundClassKey], Expense] = {}  # the first spelling, for the warnings
    for e in expenses:
        row_key = (e.month, FundClassKey.of(e.fund, e.share_class))
        named.setdefault(row_key, e)
        bucket = by_row.setdefault(row_key, dict.fromkeys(CATEGORIES, ZERO))
        bucket[e.category] += e.amount
    balance: dict[FundClassKey, Decimal] = dict(carry_in or {})
    rows = sorted(
        payables.to_pylist(), key=lambda r: (r["month"], r["plan"], r["registrant"] or "", r["fund"])
    )
    used: set[tuple[str, FundClassKey]] = set()
    out = []
    for row in rows:
        key = FundClassKey.of(row["fund"], row["share_class"])
        cats = by_row.get((row["month"], key), dict.fromkeys(CATEGORIES, ZERO))
        used.add((row["month"], key))
        eligible = round_cents(sum(cats.values(), ZERO))
        brought = balance.get(key, ZERO)
        cap: Decimal = row["fee"]
        paid = min(cap, eligible + brought)
        left = eligible + brought - paid
        carry_out = left if carry_forward else ZERO
        balance[key] = carry_out
        out.append(
            {
                **row,
                "expenses": eligible,
                **{f"expense_{c}": cats[c] for c in CATEGORIES},
                "carry_in": brought,
                "paid": paid,
                "carry_out": carry_out,
                "forfeited": ZERO if carry_forward else left,
            }
        )
    warnings = [
        Diagnostic(
            "warning",
            f"expenses for {named[k].fund} ({named[k].share_class or 'no class'}) in {k[0]} have no payable; ignored",
        )
        for k in sorted(set(by_row) - used)
    ]
    money = pa.decimal128(38, 2)
    schema = payables.schema
    for name in (
        "expenses",
        *(f"expense_{c}" for c in CATEGORIES),
        "carry_in",
        "paid",
        "carry_out",
        "forfeited",
    ):
        schema = schema.append(pa.field(name, money))
    return pa.Table.from_pylist(out, schema=schema), warnings
