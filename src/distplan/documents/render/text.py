"""Canonical amendment text: 80 columns, the reference filing's fixed-width layout."""

from __future__ import annotations

import textwrap

from distplan.documents.render.blocks import Block, Document, FundGroup, Heading, ListHeader, Para, Renames
from distplan.documents.render.build import build_document
from distplan.model import Instrument

WIDTH = 80  # the reference filing's line width
_INDENT = 6  # first-line indent of its paragraphs
_SIG_NAMES = 27  # signature block columns, as in the reference
_SIG_LINES = 33


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


def _text_renames(block: Renames) -> list[str]:
    """Old name on one line, new name on the next under its header: each name first on its
    line, as the extractor reads a rename table."""
    width = max(len(block.stub), *(len(r[0]) for r in block.rows)) + 4
    new = " ".join(block.columns[0].header)
    out = ["  " + block.stub.ljust(width) + new, "  " + ("-" * len(block.stub)).ljust(width) + "-" * len(new)]
    for old, renamed in block.rows:
        out += ["", "  " + old, "  " + " " * width + renamed]
    return out


def _text_block(block: Block) -> list[str]:
    if isinstance(block, Heading):
        lines = [_centre(line) for line in block.lines]
        if block.level == 0 and len(lines) > 1 and block.lines[-1].startswith("("):
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
    if isinstance(block, Renames):
        return ["", *_text_renames(block)]
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
    return text_of(build_document(inst))


def text_of(doc: Document) -> str:
    """The text of a built document."""
    out: list[str] = []
    for block in doc.blocks:
        if out:
            out.append("")
        out.extend(_text_block(block))
    return "\n".join(line.rstrip() for line in out) + "\n"
