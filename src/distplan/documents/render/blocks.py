"""The document model every writer lays out: headings, paragraphs, fund tables, signatures."""

from __future__ import annotations

from dataclasses import dataclass


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
class Renames(FundGroup):
    """A FUND NAME / NEW FUND NAME table: rows are (old name, new name). Writers that lay out
    real tables treat it as any fund table; the text writer puts each name on its own line."""


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
    warnings: tuple[str, ...] = ()  # values changed to be printable (see `clean`)
