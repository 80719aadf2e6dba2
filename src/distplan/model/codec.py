"""The only (de)serialisers of an `Instrument`: the JSON `distplan extract` writes and
`distplan record` reads. Reading names the field of the first problem."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from distplan.errors import InputError
from distplan.model.instruments import (
    KINDS,
    OPS,
    Diagnostic,
    Instrument,
    Operation,
    PlanRef,
    Schedule,
    ScheduleRow,
    Source,
)
from distplan.model.rates import rate_text


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _lines(value: tuple[int, int] | None) -> list[int] | None:
    return list(value) if value is not None else None


def row_to_json(row: ScheduleRow) -> dict[str, Any]:
    return {
        "registrant": row.registrant,
        "fund": row.fund,
        "share_class": row.share_class,
        "distribution_fee": rate_text(row.distribution_fee),
        "service_fee": rate_text(row.service_fee),
        "aggregate_fee": rate_text(row.aggregate_fee),
        "total_rate": rate_text(row.total_rate),
        "effective_date": _iso(row.effective_date),
        "lines": _lines(row.lines),
        "confidence": row.confidence,
        "flags": list(row.flags),
    }


def operation_to_json(op: Operation) -> dict[str, Any]:
    out: dict[str, Any] = {"op": op.op}
    if op.rows:
        out["rows"] = [row_to_json(r) for r in op.rows]
    for name in ("section", "text", "target", "new_name"):
        value = getattr(op, name)
        if value is not None:
            out[name] = value
    if op.lines is not None:
        out["lines"] = list(op.lines)
    return out


def instrument_to_json(inst: Instrument) -> dict[str, Any]:
    schedule = None
    if inst.schedule is not None:
        schedule = {
            "label": inst.schedule.label,
            "replaces_entirely": inst.schedule.replaces_entirely,
            "rows": [row_to_json(r) for r in inst.schedule.rows],
            "lines": _lines(inst.schedule.lines),
        }
    return {
        "source": {"path": inst.source.path, "sha256": inst.source.sha256},
        "kind": inst.kind,
        "title": inst.title,
        "amendment_number": inst.amendment_number,
        "plan": {
            "title": inst.plan.title,
            "share_classes": list(inst.plan.share_classes),
            "dated": _iso(inst.plan.dated),
        },
        "effective_date": _iso(inst.effective_date),
        "effective_date_lines": _lines(inst.effective_date_lines),
        "dated": _iso(inst.dated),
        "dated_lines": _lines(inst.dated_lines),
        "operations": [operation_to_json(op) for op in inst.operations],
        "schedule": schedule,
        "signatories": list(inst.signatories),
        "diagnostics": [{"level": d.level, "line": d.line, "message": d.message} for d in inst.diagnostics],
        "confidence": inst.confidence,
    }


class _Reader:
    """Reads a JSON instrument, naming the field of the first problem."""

    def __init__(self, where: str) -> None:
        self.where = where

    def fail(self, path: str, why: str) -> InputError:
        return InputError(f"{self.where}: field {path}: {why}")

    def opt_str(self, obj: dict[str, Any], key: str, path: str) -> str | None:
        value = obj.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.fail(f"{path}.{key}", f"expected a string, got {type(value).__name__}")
        return value

    def opt_date(self, obj: dict[str, Any], key: str, path: str) -> date | None:
        value = self.opt_str(obj, key, path)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.fail(f"{path}.{key}", f"not an ISO date: {value!r}") from None

    def opt_rate(self, obj: dict[str, Any], key: str, path: str) -> Decimal | None:
        value = obj.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise self.fail(f"{path}.{key}", 'expected a decimal string such as "0.25"')
        # Plain digits only; the range is checked where instruments are recorded, so stored
        # payloads stay readable whatever the rules become.
        from distplan.validation import parse_plain_decimal

        return parse_plain_decimal(str(value), f"{self.where}: field {path}.{key}")

    def opt_lines(self, obj: dict[str, Any], key: str, path: str) -> tuple[int, int] | None:
        value = obj.get(key)
        if value is None:
            return None
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        ):
            raise self.fail(f"{path}.{key}", "expected [first, last] line numbers")
        return (value[0], value[1])

    def opt_confidence(self, obj: dict[str, Any], path: str) -> float:
        value = obj.get("confidence", 1.0)
        if value is None:
            return 1.0
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise self.fail(f"{path}.confidence", "expected a number from 0 to 1")
        return float(value)

    def opt_flags(self, obj: dict[str, Any], path: str) -> tuple[str, ...]:
        value = obj.get("flags") or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{path}.flags", "expected a list of strings")
        return tuple(value)

    def row(self, obj: Any, path: str) -> ScheduleRow:
        if not isinstance(obj, dict):
            raise self.fail(path, "expected an object")
        fund = self.opt_str(obj, "fund", path)
        if not fund or not fund.strip():
            raise self.fail(f"{path}.fund", "missing")
        return ScheduleRow(
            fund=fund.strip(),
            registrant=self.opt_str(obj, "registrant", path),
            share_class=self.opt_str(obj, "share_class", path),
            distribution_fee=self.opt_rate(obj, "distribution_fee", path),
            service_fee=self.opt_rate(obj, "service_fee", path),
            aggregate_fee=self.opt_rate(obj, "aggregate_fee", path),
            effective_date=self.opt_date(obj, "effective_date", path),
            lines=self.opt_lines(obj, "lines", path),
            confidence=self.opt_confidence(obj, path),
            flags=self.opt_flags(obj, path),
        )

    def rows(self, obj: dict[str, Any], path: str) -> tuple[ScheduleRow, ...]:
        value = obj.get("rows") or []
        if not isinstance(value, list):
            raise self.fail(f"{path}.rows", "expected a list")
        return tuple(self.row(r, f"{path}.rows[{i}]") for i, r in enumerate(value))


def instrument_from_json(data: Any, where: str = "<json>") -> Instrument:
    """Build an Instrument from `distplan extract` JSON; raises InputError naming the field."""
    rd = _Reader(where)
    if not isinstance(data, dict):
        raise rd.fail("(top)", "expected a JSON object")
    kind = data.get("kind")
    if kind not in KINDS:
        raise rd.fail("kind", f"expected one of {', '.join(KINDS)}, got {kind!r}")
    src = data.get("source") or {}
    if not isinstance(src, dict):
        raise rd.fail("source", "expected an object")
    plan = data.get("plan") or {}
    if not isinstance(plan, dict):
        raise rd.fail("plan", "expected an object")
    classes = plan.get("share_classes") or []
    if not isinstance(classes, list) or not all(isinstance(c, str) for c in classes):
        raise rd.fail("plan.share_classes", "expected a list of strings")
    number = data.get("amendment_number")
    if number is not None and (not isinstance(number, int) or isinstance(number, bool)):
        raise rd.fail("amendment_number", "expected an integer or null")
    schedule = None
    sched = data.get("schedule")
    if sched is not None:
        if not isinstance(sched, dict):
            raise rd.fail("schedule", "expected an object")
        schedule = Schedule(
            label=rd.opt_str(sched, "label", "schedule") or "Schedule A",
            replaces_entirely=bool(sched.get("replaces_entirely", True)),
            rows=rd.rows(sched, "schedule"),
            lines=rd.opt_lines(sched, "lines", "schedule"),
        )
    ops_data = data.get("operations") or []
    if not isinstance(ops_data, list):
        raise rd.fail("operations", "expected a list")
    operations = []
    for i, op in enumerate(ops_data):
        path = f"operations[{i}]"
        if not isinstance(op, dict) or op.get("op") not in OPS:
            raise rd.fail(f"{path}.op", f"expected one of {', '.join(OPS)}")
        operations.append(
            Operation(
                op=op["op"],
                rows=rd.rows(op, path),
                section=rd.opt_str(op, "section", path),
                text=rd.opt_str(op, "text", path),
                target=rd.opt_str(op, "target", path),
                new_name=rd.opt_str(op, "new_name", path),
                lines=rd.opt_lines(op, "lines", path),
            )
        )
    sigs = data.get("signatories") or []
    if not isinstance(sigs, list) or not all(isinstance(s, str) for s in sigs):
        raise rd.fail("signatories", "expected a list of strings")
    diags = []
    diag_data = data.get("diagnostics") or []
    if not isinstance(diag_data, list):
        raise rd.fail("diagnostics", "expected a list")
    for i, d in enumerate(diag_data):
        if not isinstance(d, dict) or d.get("level") not in ("info", "warning", "error"):
            raise rd.fail(f"diagnostics[{i}]", "expected {level, line, message}")
        line = d.get("line")
        diags.append(
            Diagnostic(d["level"], str(d.get("message", "")), line if isinstance(line, int) else None)
        )
    return Instrument(
        source=Source(path=str(src.get("path") or where), sha256=str(src.get("sha256") or "")),
        kind=kind,
        title=rd.opt_str(data, "title", "") or "",
        amendment_number=number,
        plan=PlanRef(
            title=rd.opt_str(plan, "title", "plan"),
            share_classes=tuple(classes),
            dated=rd.opt_date(plan, "dated", "plan"),
        ),
        effective_date=rd.opt_date(data, "effective_date", ""),
        dated=rd.opt_date(data, "dated", ""),
        operations=tuple(operations),
        schedule=schedule,
        signatories=tuple(sigs),
        diagnostics=tuple(diags),
        effective_date_lines=rd.opt_lines(data, "effective_date_lines", ""),
        dated_lines=rd.opt_lines(data, "dated_lines", ""),
        confidence=rd.opt_confidence(data, ""),
    )
