"""Instrument -> canonical amendment text, DOCX and PDF.

One function (`build_document`) turns an Instrument into a small document model (headings,
paragraphs, fund lists, fee tables, signature blocks); the three writers only lay that model
out, so the text, DOCX and PDF always say the same thing. The text layout follows the
reference filing (AIM Investor Class Amendment No. 2, and the AIM Class C fee table) so the
extractor reads it back into the same Instrument. Every writer is deterministic: no clock,
no random ids, fixed zip timestamps.
"""

from __future__ import annotations

import html
import io
import os
import re
import textwrap
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from distplan.model import Instrument, Operation, ScheduleRow, fold_name

Format = Literal["text", "docx", "pdf"]
FORMATS: tuple[str, ...] = ("text", "docx", "pdf")

WIDTH = 80  # the reference filing's line width
_INDENT = 6  # first-line indent of its paragraphs
_SIG_NAMES = 27  # signature block columns, as in the reference
_SIG_LINES = 33
_REPLACED = "replaced with the following:"
_CLOSING = (
    "All other terms and provisions of the Plan not amended herein shall remain in full force and effect."
)


# --- the document model ---------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    """Centred heading lines. level 0 is the document title, 1 a schedule heading."""

    lines: tuple[str, ...]
    level: int = 0


@dataclass(frozen=True)
class Para:
    text: str
    indent: bool = False
    quoted: bool = False  # restated plan text, set off as a block quotation


@dataclass(frozen=True)
class Column:
    header: tuple[str, ...]  # header words stacked one phrase per line, as filings print them


@dataclass(frozen=True)
class FundGroup:
    """The funds of one registrant. With `columns` it is a fee table (the registrant heads the
    first column, `stub` names it); without, an indented fund list under the registrant."""

    registrant: str | None
    stub: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]  # first cell the fund, then one cell per column


@dataclass(frozen=True)
class ListHeader:
    """The 'REGISTERED INVESTMENT COMPANY / FUNDS' rule above fund lists."""

    left: str
    right: str


@dataclass(frozen=True)
class Signature:
    parties: tuple[str, ...]


Block = Heading | Para | ListHeader | FundGroup | Signature


@dataclass(frozen=True)
class Document:
    title: str
    blocks: tuple[Block, ...]


# --- words ----------------------------------------------------------------------------------


def long_date(value: date) -> str:
    """'November 3, 2003'."""
    return f"{value:%B} {value.day}, {value.year}"


def rate_text(value: Decimal) -> str:
    """The rate as stated, with a percent sign: Decimal('0.25') -> '0.25%'."""
    return f"{value}%"


_LETTER_CLASS = re.compile(r"[A-Z]{1,3}\d*")


def class_label(share_class: str) -> str:
    """'C' -> 'Class C', 'R2' -> 'Class R2', 'Investor' -> 'Investor Class'."""
    if _LETTER_CLASS.fullmatch(share_class):
        return f"Class {share_class}"
    return f"{share_class} Class"


def _join_words(items: Sequence[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def classes_phrase(classes: Sequence[str]) -> str:
    """'Investor Class', 'Class A and Class C' (without 'Shares')."""
    return _join_words([class_label(c) for c in classes])


def _unique(items: Iterable[str | None]) -> list[str]:
    seen: dict[str, str] = {}
    for item in items:
        if item and fold_name(item) not in seen:
            seen[fold_name(item)] = item
    return list(seen.values())


# --- building the model ---------------------------------------------------------------------


def _schedule_rows(inst: Instrument) -> tuple[ScheduleRow, ...]:
    if inst.schedule is not None and inst.schedule.rows:
        return inst.schedule.rows
    for op in inst.operations:
        if op.op == "replace_schedule" and op.rows:
            return op.rows
    return ()


def _plan_classes(inst: Instrument, rows: Sequence[ScheduleRow]) -> list[str]:
    return list(inst.plan.share_classes) or _unique(r.share_class for r in rows)


def _fee_columns(rows: Sequence[ScheduleRow], per_row_class: bool) -> list[tuple[str, Column]]:
    """The columns the rows carry: (row attribute, header). Null rates are absent columns."""
    cols: list[tuple[str, Column]] = []
    if per_row_class:
        cols.append(("share_class", Column(("Share", "Class"))))
    if any(r.distribution_fee is not None for r in rows):
        cols.append(("distribution_fee", Column(("Maximum", "Asset Based", "Sales Charge"))))
    if any(r.service_fee is not None for r in rows):
        cols.append(("service_fee", Column(("Maximum", "Service", "Fee"))))
    if any(r.aggregate_fee is not None for r in rows):
        cols.append(("aggregate_fee", Column(("Maximum", "Aggregate", "Fee"))))
    if any(r.effective_date is not None for r in rows):
        cols.append(("effective_date", Column(("Effective", "Date"))))
    return cols


def _cell(row: ScheduleRow, attr: str) -> str:
    value = getattr(row, attr)
    if value is None:
        return ""
    if attr == "share_class":
        return class_label(value)
    if attr == "effective_date":
        return long_date(value)
    return rate_text(value)


def _group_blocks(rows: Sequence[ScheduleRow], quoted: bool) -> list[Block]:
    """The rows grouped by registrant: fund lists, or fee tables when the rows carry rates,
    share classes that differ, or their own effective dates."""
    row_classes = _unique(r.share_class for r in rows)
    per_row_class = len(row_classes) > 1 or (
        len(row_classes) == 1 and any(r.share_class is None for r in rows)
    )
    columns = _fee_columns(rows, per_row_class)
    single = row_classes[0] if len(row_classes) == 1 and not per_row_class else None
    stub = "PORTFOLIO" + (f" - {class_label(single).upper()} SHARES" if single else "")

    groups: dict[str, list[ScheduleRow]] = {}
    names: dict[str, str | None] = {}
    for row in rows:
        key = fold_name(row.registrant or "")
        groups.setdefault(key, []).append(row)
        names.setdefault(key, row.registrant)
    blocks: list[Block] = []
    if not columns:
        blocks.append(ListHeader("REGISTERED INVESTMENT COMPANY", "FUNDS"))
    for key, members in groups.items():
        cells = tuple((r.fund, *(_cell(r, attr) for attr, _ in columns)) for r in members)
        blocks.append(FundGroup(names[key], stub, tuple(c for _, c in columns), cells))
    if quoted and rows:
        last = blocks[-1]
        assert isinstance(last, FundGroup)
        final = (*last.rows[-1][:-1], last.rows[-1][-1] + '"')
        blocks[-1] = FundGroup(last.registrant, last.stub, last.columns, (*last.rows[:-1], final))
    return blocks


def _schedule_blocks(inst: Instrument, rows: Sequence[ScheduleRow], quoted: bool) -> list[Block]:
    """Heading plus the registrant groups of a schedule; quoted when an amendment restates it."""
    label = inst.schedule.label if inst.schedule is not None else "Schedule A"
    classes = _plan_classes(inst, rows)
    heading = [label.upper()]
    if inst.plan.title:
        heading += _wrap_heading("TO THE", _upper(inst.plan.title))
    if classes:
        heading += _class_heading(classes, "")
    if quoted:
        heading[0] = '"' + heading[0]
    blocks: list[Block] = [Heading(tuple(heading), level=1)]
    if inst.kind != "amendment" and inst.effective_date is not None:
        blocks.append(Para(f"Effective: {long_date(inst.effective_date)}"))

    blocks.extend(_group_blocks(rows, quoted))
    return blocks


_HEADING_WIDTH = 50
_SMALL_WORDS = frozenset(
    "the of to and a an in as is be by for or with that this under from on at".split()  # noqa: SIM905
)


def _upper(text: str) -> str:
    """Headings in capitals, except the rule's own name."""
    return text.upper().replace("12B-1", "12b-1")


def _class_heading(classes: Sequence[str], suffix: str) -> list[str]:
    """'(INVESTOR CLASS SHARES)'; several classes comma-separated (a capital 'AND' would read as
    a class name), and left out when too many to read as a heading (the table has a class column)."""
    line = f"({', '.join(class_label(c) for c in classes).upper()}{suffix})"
    return [line] if _reads_as_heading(line) else []


def _reads_as_heading(line: str) -> bool:
    """A heading line must not read as a wrapped sentence (few words, or few small words), or a
    reader that reflows fixed-width prose would join the heading into a paragraph."""
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", line)
    small = sum(1 for w in words if w.lower() in _SMALL_WORDS)
    return len(words) < 6 or (small < 3 and len(words) <= 12)


def _fill(words: Sequence[str]) -> list[str]:
    lines: list[str] = []
    for word in words:
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and len(candidate) <= _HEADING_WIDTH and _reads_as_heading(candidate):
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def _wrap_heading(prefix: str, title: str) -> list[str]:
    """'TO THE' + a plan title as centred heading lines; 'AMENDED AND RESTATED' ends a line, as
    filed, and 'TO THE' stands alone when the first line would otherwise read as prose."""
    head, sep, tail = title.partition(" RESTATED ")
    if not sep:
        head, tail = "", title
    else:
        head += " RESTATED"
    first = f"{prefix} {head}".strip()
    lines = (
        [first]
        if _reads_as_heading(first) and len(first) <= _HEADING_WIDTH
        else [prefix, *_fill(head.split())]
    )
    return [x for x in lines if x] + _fill(tail.split()) if head else _fill(f"{prefix} {tail}".split())


def _plan_name(inst: Instrument, rows: Sequence[ScheduleRow]) -> str:
    classes = _plan_classes(inst, rows)
    name = inst.plan.title or "Plan"
    return f"{name} ({classes_phrase(classes)} Shares)" if classes else name


def _operation_blocks(inst: Instrument, op: Operation, number: int | None) -> list[Block]:
    """Clauses for operations other than the schedule replacement."""
    prefix = f"{number}. " if number is not None else ""
    section = op.section or "Section"
    if op.op == "amend_text":
        return [
            Para(f"{prefix}{section} of the Plan is hereby amended and restated to read as follows:"),
            Para(f'"{(op.text or "").strip()}"', quoted=True),
        ]
    label = inst.schedule.label if inst.schedule is not None else "Schedule A"
    verbs = {
        "add_rows": "add the following",
        "remove_rows": "delete the following",
        "set_rates": "state these rates",
    }
    if op.op in verbs and op.rows:
        # Rates restated in an amend_text clause are already written there.
        restated = " ".join(o.text or "" for o in inst.operations if o.op == "amend_text")
        if (
            op.op == "set_rates"
            and restated
            and all(
                all(f"{v}%" in restated or f"{str(v).lstrip('0')}%" in restated for v in _rates(r))
                for r in op.rows
            )
        ):
            return []
        clause = f"{prefix}{label} to the Plan is hereby amended to {verbs[op.op]}:"
        return [Para(clause), *_group_blocks(op.rows, quoted=False)]
    if op.op == "terminate":
        what = op.target or "the Plan"
        return [Para(f"{prefix}The Plan is hereby terminated with respect to {what}.")]
    if op.op in ("rename_registrant", "rename_fund") and op.target and op.new_name:
        return [Para(f'{prefix}All references in the Plan to "{op.target}" shall mean "{op.new_name}".')]
    return []


def _rates(row: ScheduleRow) -> list[Decimal]:
    return [v for v in (row.distribution_fee, row.service_fee, row.aggregate_fee) if v is not None]


def _signature_blocks(signatories: Sequence[str]) -> list[Block]:
    """The registrants sign together, the distributor on its own (as in the reference)."""
    parties = [s for s in signatories if "distributor" not in fold_name(s)]
    distributors = [s for s in signatories if "distributor" in fold_name(s)]
    blocks: list[Block] = []
    if parties:
        blocks.append(Signature(tuple(parties)))
    blocks.extend(Signature((d,)) for d in distributors)
    return blocks


def build_document(inst: Instrument) -> Document:
    """The structure every writer lays out."""
    rows = _schedule_rows(inst)
    classes = _plan_classes(inst, rows)
    blocks: list[Block] = []
    if inst.kind == "amendment":
        title = [f"AMENDMENT NO. {inst.amendment_number}" if inst.amendment_number else "AMENDMENT"]
        if inst.plan.title:
            title += _wrap_heading("TO THE", _upper(inst.plan.title))
        if classes:
            title += _class_heading(classes, " SHARES")
        blocks.append(Heading(tuple(title)))
        text_ops = [
            op for op in inst.operations if op.op != "replace_schedule" and _operation_blocks(inst, op, None)
        ]
        replaces = any(op.op == "replace_schedule" for op in inst.operations) or (
            inst.schedule is not None and inst.schedule.replaces_entirely and not text_ops
        )
        dated = f", dated as of {long_date(inst.plan.dated)}" if inst.plan.dated else ""
        effective = f", effective {long_date(inst.effective_date)}" if inst.effective_date else ""
        # Without a schedule the rows' one registrant is named where filings name it: in the preamble.
        registrants = _unique(r.registrant for r in rows)
        of = f' of {registrants[0]} (the "Trust")' if not replaces and len(registrants) == 1 else ""
        blocks.append(
            Para(
                f'The {_plan_name(inst, rows)} (the "Plan"){of}{dated}, pursuant to Rule 12b-1, '
                f"is hereby amended{effective}, as follows:",
                indent=True,
            )
        )
        numbered = len(text_ops) + (1 if replaces and rows else 0) > 1
        number = 1
        if replaces and rows:
            label = inst.schedule.label if inst.schedule is not None else "Schedule A"
            prefix = "1. " if numbered else ""
            blocks.append(
                Para(f"{prefix}{label} to the Plan is hereby deleted in its entirety and {_REPLACED}")
            )
            blocks.extend(_schedule_blocks(inst, rows, quoted=True))
            number += 1
        for op in text_ops:
            blocks.extend(_operation_blocks(inst, op, number if numbered else None))
            number += 1
        blocks.append(Para(_CLOSING))
        doc_title = title[0]
    else:
        if inst.kind == "plan":
            name = _upper(inst.plan.title or inst.title or "Distribution Plan")
            heading = _fill(name.split())
            if classes:
                heading += _class_heading(classes, " SHARES")
            blocks.append(Heading(tuple(heading)))
            if inst.plan.dated:
                blocks.append(Para(f"Dated as of {long_date(inst.plan.dated)}"))
        blocks.extend(_schedule_blocks(inst, rows, quoted=False))
        for op in inst.operations:
            blocks.extend(_operation_blocks(inst, op, None))
        doc_title = inst.title or (inst.schedule.label if inst.schedule else inst.kind.title())
    if inst.dated is not None:
        blocks.append(Para(f"Dated: {long_date(inst.dated)}"))
    elif inst.signatories:
        blocks.append(Para("IN WITNESS WHEREOF, the parties have executed this instrument.", indent=True))
    blocks.extend(_signature_blocks(inst.signatories))
    return Document(doc_title, tuple(blocks))


# --- text -----------------------------------------------------------------------------------


def _centre(line: str) -> str:
    return (" " * max(0, (WIDTH - len(line)) // 2) + line).rstrip()


def _text_table(group: FundGroup) -> list[str]:
    """A fixed-width fee table in the layout of the AIM Class C schedule."""
    gap = "    "
    fund_width = max(len(group.stub), len(group.registrant or ""), *(len(r[0]) for r in group.rows))
    widths = [
        max(*(len(h) for h in col.header), *(len(r[i + 1]) for r in group.rows))
        for i, col in enumerate(group.columns)
    ]
    height = max((len(c.header) for c in group.columns), default=1)
    if group.registrant is not None:
        height = max(height, 2)
    stub_lines = [""] * height
    stub_lines[-1] = group.stub
    if group.registrant is not None:
        stub_lines[0] = group.registrant
    out = []
    for level in range(height):
        cells = [stub_lines[level].ljust(fund_width)]
        for col, width in zip(group.columns, widths, strict=True):
            offset = height - len(col.header)
            text = col.header[level - offset] if level >= offset else ""
            cells.append(text.center(width))
        out.append(("  " + gap.join(cells)).rstrip())
    rule = [" " * fund_width] + [
        ("-" * max(len(h) for h in col.header)).center(w)
        for col, w in zip(group.columns, widths, strict=True)
    ]
    out.append(("  " + gap.join(rule)).rstrip())
    out.append("")
    for row in group.rows:
        cells = [row[0].ljust(fund_width)] + [c.center(w) for c, w in zip(row[1:], widths, strict=True)]
        out.append(("  " + gap.join(cells)).rstrip())
    return out


def _text_block(block: Block) -> list[str]:
    if isinstance(block, Heading):
        lines = [_centre(line) for line in block.lines]
        if block.level == 0 and len(lines) > 1:
            lines.insert(len(lines) - 1, "")  # the class line stands apart, as in the reference
        return lines
    if isinstance(block, Para):
        if block.quoted:
            return textwrap.wrap(
                block.text,
                width=WIDTH - 10,
                initial_indent=" " * 10,
                subsequent_indent=" " * 10,
                break_long_words=False,
                break_on_hyphens=False,
            )
        return textwrap.wrap(
            block.text,
            width=WIDTH,
            initial_indent=" " * (_INDENT if block.indent else 0),
            break_long_words=False,
            break_on_hyphens=False,
        )
    if isinstance(block, ListHeader):
        return [block.left.ljust(48) + block.right, "-" * WIDTH]
    if isinstance(block, FundGroup):
        if block.columns:
            return ["", *_text_table(block)]
        lines = [block.registrant, ""] if block.registrant else []
        return lines + [" " * _INDENT + row[0] for row in block.rows]
    lines = [" " * _SIG_NAMES + p for p in block.parties]
    pad = " " * _SIG_LINES
    return [*lines, "", "", pad + "By:", pad + "    " + "-" * 23, pad + "Name:", pad + "Title:"]


def render_text(inst: Instrument) -> str:
    """The canonical amendment text: 80 columns, the reference filing's layout."""
    doc = build_document(inst)
    out: list[str] = []
    for block in doc.blocks:
        if out:
            out.append("")
        out.extend(_text_block(block))
    return "\n".join(line.rstrip() for line in out) + "\n"


# --- DOCX -----------------------------------------------------------------------------------

_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_FIXED_EPOCH = "315532800"  # 1980-01-01T00:00:00Z


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed member timestamps so equal documents are equal bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def render_docx(inst: Instrument) -> bytes:
    """A Word document with the built-in Title/Heading/Normal styles and one real table per
    registrant group (header row first)."""
    from datetime import datetime

    from docx import Document as new_docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = build_document(inst)
    word = new_docx()
    word.styles["Normal"].font.name = "Times New Roman"
    word.styles["Normal"].font.size = Pt(11)
    # Core properties from the document itself, never the clock.
    stamp = inst.dated or inst.effective_date or date(2000, 1, 1)
    props = word.core_properties
    props.title = doc.title
    props.author = "distplan"
    props.last_modified_by = "distplan"
    props.created = props.modified = datetime(stamp.year, stamp.month, stamp.day)
    props.revision = 1

    for block in doc.blocks:
        if isinstance(block, Heading):
            for i, line in enumerate(block.lines):
                style = "Title" if block.level == 0 and i == 0 else f"Heading {block.level + 1}"
                par = word.add_paragraph(line, style=style)
                par.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif isinstance(block, Para):
            par = word.add_paragraph(block.text, style="Quote" if block.quoted else "Normal")
            if block.indent:
                par.paragraph_format.first_line_indent = Pt(36)
        elif isinstance(block, ListHeader):
            continue  # each fund table carries its own header row
        elif isinstance(block, FundGroup):
            if block.registrant:
                word.add_paragraph(block.registrant, style="Heading 3")
            headers = [block.stub.title() if block.columns else "Funds"] + [
                " ".join(c.header) for c in block.columns
            ]
            table = word.add_table(rows=1, cols=len(headers))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for cell, text in zip(table.rows[0].cells, headers, strict=True):
                cell.text = ""
                cell.paragraphs[0].add_run(text).bold = True
            for row in block.rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = text
        else:
            word.add_paragraph("")
            for party in block.parties:
                word.add_paragraph(party, style="Normal")
            for label in ("By: ______________________", "Name:", "Title:"):
                word.add_paragraph(label, style="Normal")
    buf = io.BytesIO()
    word.save(buf)
    return _normalise_zip(buf.getvalue())


# --- HTML and PDF ---------------------------------------------------------------------------

_CSS = """
@page { size: letter; margin: 1in; @bottom-center { content: counter(page); font-size: 9pt; } }
body { font-family: "Times New Roman", "Liberation Serif", "DejaVu Serif", serif; font-size: 11pt; }
h1, h2 { text-align: center; font-weight: bold; margin: 0.2em 0; }
h1 { font-size: 14pt; } h2 { font-size: 12pt; } h3 { font-size: 11pt; margin: 1em 0 0.3em; }
p { text-align: justify; margin: 0.6em 0; }
p.indent { text-indent: 0.5in; }
blockquote { margin: 0.6em 0.6in; }
table { border-collapse: collapse; margin: 0.3em auto 0.8em; width: 100%; }
th:first-child, td:first-child { width: 45%; text-align: left; }
th, td { border: 0.5pt solid #444; padding: 2pt 5pt; vertical-align: bottom; }
th { font-weight: bold; text-align: center; }
td.rate { text-align: center; white-space: nowrap; }
.signature { margin: 2em 0 0 3in; page-break-inside: avoid; }
.signature p { margin: 0.2em 0; text-align: left; }
"""


def render_html(inst: Instrument) -> str:
    """HTML of the same document model; the PDF writer prints it."""
    doc = build_document(inst)
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(doc.title)}</title><style>{_CSS}</style></head><body>",
    ]
    for block in doc.blocks:
        if isinstance(block, Heading):
            tag = "h1" if block.level == 0 else "h2"
            parts.extend(f"<{tag}>{esc(line)}</{tag}>" for line in block.lines)
        elif isinstance(block, Para):
            if block.quoted:
                parts.append(f"<blockquote><p>{esc(block.text)}</p></blockquote>")
            else:
                cls = ' class="indent"' if block.indent else ""
                parts.append(f"<p{cls}>{esc(block.text)}</p>")
        elif isinstance(block, ListHeader):
            continue
        elif isinstance(block, FundGroup):
            if block.registrant:
                parts.append(f"<h3>{esc(block.registrant)}</h3>")
            head = [block.stub.title() if block.columns else "Funds"]
            head += ["<br>".join(esc(h) for h in c.header) for c in block.columns]
            parts.append(
                "<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead><tbody>"
            )
            for row in block.rows:
                cells = [f"<td>{esc(row[0])}</td>"] + [f'<td class="rate">{esc(c)}</td>' for c in row[1:]]
                parts.append("<tr>" + "".join(cells) + "</tr>")
            parts.append("</tbody></table>")
        else:
            lines = [*block.parties, "By: ______________________", "Name:", "Title:"]
            parts.append('<div class="signature">' + "".join(f"<p>{esc(x)}</p>" for x in lines) + "</div>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def render_pdf(inst: Instrument) -> bytes:
    """A PDF printed by WeasyPrint from `render_html`."""
    from weasyprint import HTML

    # fontTools stamps subset fonts with the current time unless SOURCE_DATE_EPOCH is set (the
    # reproducible-builds convention); a fixed epoch keeps the PDF bytes a function of the input.
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = saved or _FIXED_EPOCH
    try:
        pdf = HTML(string=render_html(inst), base_url=".").write_pdf()
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
    assert pdf is not None
    return bytes(pdf)


def render(inst: Instrument, fmt: str) -> bytes:
    """The document in `fmt` ('text', 'docx' or 'pdf') as bytes."""
    if fmt == "text":
        return render_text(inst).encode("utf-8")
    if fmt == "docx":
        return render_docx(inst)
    if fmt == "pdf":
        return render_pdf(inst)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


__all__ = [
    "FORMATS",
    "Document",
    "build_document",
    "class_label",
    "long_date",
    "render",
    "render_docx",
    "render_html",
    "render_pdf",
    "render_text",
]
