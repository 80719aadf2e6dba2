"""Dealer agreements: who the distributor pays trails to, at what rate, how often.

Read from YAML (the project's bounded safe loader) and validated here, at the boundary: every
bad value is one InputError naming the file, the line and the field. The parsed agreements
are plain data; `to_payload`/`from_payload` are their ledger form (entry kind "dealers").
Validity is half-open: an agreement holds from `effective` until the dealer's next one that
covers the same fund-class.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from distplan.compliance import yamlsafe
from distplan.errors import InputError
from distplan.model import FundClassKey, fold_class, fold_name, suggest

PAYLOAD_TYPE = "dealer-agreements"
FREQUENCIES = ("monthly", "quarterly")
MAX_PREPAID_MONTHS = 24
_RATE = re.compile(r"\d{1,3}(?:\.\d{1,4})?")
_MONEY = re.compile(r"\d{1,12}(?:\.\d{1,2})?")
_DEALER_FIELDS = ("id", "name", "agreements")
_AGREEMENT_FIELDS = (
    "effective",
    "funds",
    "share_classes",
    "rate",
    "frequency",
    "minimum_payment",
    "prepaid_months",
)
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


@dataclass(frozen=True)
class Agreement:
    effective: date
    funds: tuple[str, ...] | None  # None: all the plan's funds
    share_classes: tuple[str, ...] | None  # None: all classes
    rate: Decimal  # % a year of eligible assets
    frequency: str
    minimum_payment: Decimal
    prepaid_months: int

    def covers(self, key: FundClassKey) -> bool:
        funds = self.funds is None or key.fund in {fold_name(f) for f in self.funds}
        classes = self.share_classes is None or key.share_class in {fold_class(c) for c in self.share_classes}
        return funds and classes


@dataclass(frozen=True)
class Dealer:
    id: str
    name: str
    agreements: tuple[Agreement, ...]  # in effective order

    def in_force(self, key: FundClassKey, day: date) -> Agreement | None:
        """The latest agreement effective on or before `day` that covers the fund-class."""
        found = None
        for a in self.agreements:
            if a.effective <= day and a.covers(key):
                found = a
        return found

    @property
    def frequency(self) -> str:
        return self.agreements[-1].frequency


class _At:
    """Where a value is: `file:line: field`, from the YAML node it came from."""

    def __init__(self, where: str, node: yaml.Node | None, field: str) -> None:
        line = f":{node.start_mark.line + 1}" if node is not None else ""
        self.where, self.field = where, field
        self.text = f"{where}{line}: {field}"

    def at_line(self, node: yaml.Node) -> str:
        return f"{self.where}:{node.start_mark.line + 1}: {self.field}"

    def fail(self, problem: str) -> InputError:
        return InputError(f"{self.text}: {problem}")


def read_agreements(text: str, where: str, known_funds: set[str] | None = None) -> list[Dealer]:
    """The dealers in one agreements file. `known_funds` (folded names) makes an unknown fund
    an error with a suggestion; None skips that check (no plan recorded to check against)."""
    node = yamlsafe.compose(text, where)
    if node is None:
        raise InputError(f"{where}: empty: expected a 'dealers:' list")
    yamlsafe.check_expansion(node, where)
    top = _mapping(node, _At(where, node, "top level"), ("dealers",))
    dealers_node = top.get("dealers")
    if not isinstance(dealers_node, yaml.SequenceNode) or not dealers_node.value:
        raise _At(where, dealers_node or node, "dealers").fail("expected a non-empty list of dealers")
    dealers = [_dealer(d, where, i + 1, known_funds) for i, d in enumerate(dealers_node.value)]
    ids = [d.id for d in dealers]
    for i, d in enumerate(ids):
        if d in ids[:i]:
            raise _At(where, dealers_node.value[i], f"dealers[{i + 1}].id").fail(f"dealer {d!r} listed twice")
    return dealers


def _mapping(node: yaml.Node, at: _At, fields: tuple[str, ...]) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        raise at.fail("expected a mapping")
    out: dict[str, yaml.Node] = {}
    for k, v in node.value:
        key = k.value if isinstance(k, yaml.ScalarNode) else None
        if key not in fields:
            hint = suggest(str(key), list(fields))
            did = f" (did you mean {hint!r}?)" if hint else f" (expected one of {', '.join(fields)})"
            raise InputError(f"{at.at_line(k)}: unknown field {key!r}{did}")
        if key in out:
            raise InputError(f"{at.at_line(k)}: field {key!r} given twice")
        out[key] = v
    return out


def _scalar(node: yaml.Node | None, at: _At) -> str:
    if node is None:
        raise at.fail("missing")
    if not isinstance(node, yaml.ScalarNode):
        raise at.fail("expected a single value")
    return str(node.value).strip()


def _dealer(node: yaml.Node, where: str, n: int, known: set[str] | None) -> Dealer:
    here = f"dealers[{n}]"
    m = _mapping(node, _At(where, node, here), _DEALER_FIELDS)
    ident = _scalar(m.get("id"), _At(where, m.get("id", node), f"{here}.id"))
    if not _ID.fullmatch(ident):
        raise _At(where, m["id"], f"{here}.id").fail(
            f"{ident!r}: letters, digits, '.', '_' or '-' (at most 64)"
        )
    name = _scalar(m.get("name"), _At(where, m.get("name", node), f"{here}.name"))
    if not name or len(name) > 200 or not name.isprintable():
        raise _At(where, m["name"], f"{here}.name").fail("expected a name of 1 to 200 printable characters")
    seq = m.get("agreements")
    if not isinstance(seq, yaml.SequenceNode) or not seq.value:
        raise _At(where, seq or node, f"{here}.agreements").fail("expected a non-empty list")
    agreements = [_agreement(a, where, f"{here}.agreements[{i + 1}]", known) for i, a in enumerate(seq.value)]
    agreements.sort(key=lambda a: a.effective)
    if len({a.frequency for a in agreements}) > 1:  # one payment calendar per dealer (for now)
        raise _At(where, seq, f"{here}.agreements").fail(
            "all of a dealer's agreements must have one frequency"
        )
    return Dealer(ident, name, tuple(agreements))


def _agreement(node: yaml.Node, where: str, here: str, known: set[str] | None) -> Agreement:
    m = _mapping(node, _At(where, node, here), _AGREEMENT_FIELDS)

    def at(field: str) -> _At:
        return _At(where, m.get(field, node), f"{here}.{field}")

    for field in ("effective", "rate", "frequency"):
        if field not in m:
            raise at(field).fail("missing")
    text = _scalar(m["effective"], at("effective"))
    try:
        effective = date.fromisoformat(text)
    except ValueError:
        raise at("effective").fail(f"{text!r}: not a date (YYYY-MM-DD)") from None
    if not date(1990, 1, 1) <= effective <= date(2100, 12, 31):
        raise at("effective").fail(f"{text}: outside 1990..2100")
    rate_text = _scalar(m["rate"], at("rate"))
    if not _RATE.fullmatch(rate_text) or Decimal(rate_text) > 100:
        raise at("rate").fail(f"{rate_text!r}: expected a percentage 0..100 with at most 4 decimals")
    frequency = _scalar(m["frequency"], at("frequency")).lower()
    if frequency not in FREQUENCIES:
        hint = suggest(frequency, list(FREQUENCIES))
        raise at("frequency").fail(
            f"{frequency!r}: expected monthly or quarterly" + (f" (did you mean {hint!r}?)" if hint else "")
        )
    minimum = Decimal(0)
    if "minimum_payment" in m:
        money = _scalar(m["minimum_payment"], at("minimum_payment")).replace(",", "")
        if not _MONEY.fullmatch(money):
            raise at("minimum_payment").fail(
                f'{money!r}: expected an amount in dollars and cents (e.g. "100.00")'
            )
        minimum = _cents(money)
    prepaid = 0
    if "prepaid_months" in m:
        p = _scalar(m["prepaid_months"], at("prepaid_months"))
        if not p.isdigit() or int(p) > MAX_PREPAID_MONTHS:
            raise at("prepaid_months").fail(
                f"{p!r}: expected a whole number of months 0..{MAX_PREPAID_MONTHS}"
            )
        prepaid = int(p)
    funds = _names(m.get("funds"), at("funds"))
    if funds is not None and known is not None:
        for f in funds:
            if fold_name(f) not in known:
                hint = suggest(f, sorted(known))
                did = f" (did you mean {hint!r}?)" if hint else ""
                raise at("funds").fail(f"{f!r}: no recorded plan covers this fund{did}")
    classes = _names(m.get("share_classes"), at("share_classes"))
    return Agreement(effective, funds, classes, Decimal(rate_text), frequency, minimum, prepaid)


def _cents(text: str) -> Decimal:
    try:
        return Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation:  # pragma: no cover - the pattern above admits only digits
        raise InputError(f"{text!r}: not an amount") from None


def _names(node: yaml.Node | None, at: _At) -> tuple[str, ...] | None:
    """A list of names, or None for `all` (and when the field is left out)."""
    if node is None:
        return None
    if isinstance(node, yaml.ScalarNode):
        if str(node.value).strip().lower() == "all":
            return None
        raise at.fail(f"{node.value!r}: expected 'all' or a list of names")
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        raise at.fail("expected 'all' or a non-empty list of names")
    names = tuple(_scalar(n, at) for n in node.value)
    if any(not n or len(n) > 200 or not n.isprintable() for n in names):
        raise at.fail("expected names of 1 to 200 printable characters")
    return names


# --- the ledger form -------------------------------------------------------------------------


def to_payload(dealers: list[Dealer], path: str) -> dict[str, Any]:
    return {
        "type": PAYLOAD_TYPE,
        "path": path,
        "dealers": [
            {
                "id": d.id,
                "name": d.name,
                "agreements": [
                    {
                        "effective": a.effective.isoformat(),
                        "funds": list(a.funds) if a.funds is not None else "all",
                        "share_classes": list(a.share_classes) if a.share_classes is not None else "all",
                        "rate": str(a.rate),
                        "frequency": a.frequency,
                        "minimum_payment": str(a.minimum_payment),
                        "prepaid_months": a.prepaid_months,
                    }
                    for a in d.agreements
                ],
            }
            for d in dealers
        ],
    }


def from_payload(payload: dict[str, Any]) -> list[Dealer]:
    def names(v: Any) -> tuple[str, ...] | None:
        return None if v == "all" else tuple(v)

    return [
        Dealer(
            d["id"],
            d["name"],
            tuple(
                Agreement(
                    date.fromisoformat(a["effective"]),
                    names(a["funds"]),
                    names(a["share_classes"]),
                    Decimal(a["rate"]),
                    a["frequency"],
                    Decimal(a["minimum_payment"]),
                    int(a["prepaid_months"]),
                )
                for a in d["agreements"]
            ),
        )
        for d in payload["dealers"]
    ]


def dealers_from_entries(entries: Any) -> list[Dealer]:
    """The dealers as these ledger entries record them (voided entries left out): a later
    entry naming a dealer replaces that dealer's agreements as a whole (bitemporal: pass the
    entries known at a moment to see what was known then)."""
    entries = list(entries)
    voided = {e.target_seq for e in entries if e.kind == "void"}
    found: dict[str, Dealer] = {}
    for e in entries:
        if e.kind == "dealers" and e.seq not in voided and e.payload.get("type") == PAYLOAD_TYPE:
            for d in from_payload(e.payload):
                found[d.id] = d
    return sorted(found.values(), key=lambda d: d.id)
