"""Full EDGAR submission `.txt` files: find the Rule 12b-1 exhibits and extract each on its own.

A submission is SGML: `<SEC-DOCUMENT>`, `<SEC-HEADER>`, then `<DOCUMENT>` blocks, each with
`<TYPE>`, `<SEQUENCE>`, `<FILENAME>`, `<DESCRIPTION>` and its `<TEXT>`. The Rule 12b-1 plan and
its schedules are exhibit (m) (TYPE EX-99.M, EX-99.(m)(2), EX-99.B(m), ...), or an exhibit whose
opening reads as a 12b-1 plan. Each exhibit is extracted alone, so no date or title is ever taken
from the prospectus around it (issue 8 item 6). The file is read once, line by line: a submission
of tens of megabytes costs time linear in its size and memory bounded by the exhibits kept.

`extract_any(path)` is the entry point for callers (`distplan extract`, `distplan record`): the
one instrument of a plain exhibit, or one per 12b-1 exhibit of a submission.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from distplan.errors import InputError
from distplan.model import Diagnostic, Instrument, Source

_SNIFF = 64 * 1024  # how much of a file decides whether it is a submission
_HEAD = 4096  # how much of an exhibit's text decides whether it is a 12b-1 exhibit by content
_TAG = re.compile(rb"^\s*<(TYPE|SEQUENCE|FILENAME|DESCRIPTION)>\s*(.*?)\s*$", re.I)
# EX-99.M, EX-99.(M), EX-99.(m)(2), EX-99.B(m), EX-99.M1, EX-99.BM -- exhibit (m) of Form N-1A.
_EXHIBIT_M = re.compile(r"^EX-99\.?\s*B?\.?\s*\(?M(?![A-Z])", re.I)
_PLAN_TEXT = re.compile(
    r"rule\s+12b-1|12b-1\s+plan|(distribution|service|servicing|marketing)\s+(and\s+service\s+)?plan", re.I
)
_MAX_EXHIBIT = 50 * 1024 * 1024


@dataclass(frozen=True)
class Exhibit:
    """One `<DOCUMENT>` block kept for extraction, with where it sits in the submission."""

    sequence: str
    type: str
    filename: str
    description: str
    first_line: int  # submission line of the first line of its <TEXT>
    text: bytes
    by_content: bool  # chosen by what it says, not by its TYPE

    @property
    def label(self) -> str:
        return (
            f"document {self.sequence or '?'} ({self.type or 'no type'}, {self.filename or 'no file name'})"
        )


def is_submission(head: bytes) -> bool:
    """An EDGAR submission: SGML headers, or a `<DOCUMENT>` block with a `<TYPE>`."""
    low = head[:_SNIFF].lstrip().lower()
    if low.startswith((b"<sec-document>", b"<sec-header>", b"<ims-document>")):
        return True
    return b"<document>" in low and b"<type>" in low and b"<text>" in low


def _is_12b1_type(doc_type: str) -> bool:
    return bool(_EXHIBIT_M.match(doc_type.strip()))


def _reads_as_plan(text: bytes) -> bool:
    """An exhibit whose opening (its title) names a 12b-1 plan; a Rule 18f-3 plan only cites one."""
    head = re.sub(r"<[^>]{0,200}>", " ", text[:_HEAD].decode("utf-8", "replace"))
    opening = " ".join(head.split())[:600]
    return bool(_PLAN_TEXT.search(opening)) and not re.search(r"18f-3|multiple\s+class", opening, re.I)


def exhibits(path: Path) -> Iterator[Exhibit]:
    """The 12b-1 exhibits of a submission, in order, read in one linear pass."""
    fields: dict[str, str] = {}
    body: list[bytes] | None = None
    size = 0
    start = 0
    in_document = False
    keeping: bool | None = None  # None: not decided yet (the opening is still being read)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    with handle:
        for no, raw in enumerate(handle, start=1):
            tag = raw.strip().lower()
            if tag == b"<document>":
                fields, body, in_document = {}, None, True
                continue
            if not in_document:
                continue
            if tag == b"<text>" and body is None:
                body, size, start = [], 0, no + 1
                keeping = True if _is_12b1_type(fields.get("type", "")) else None
                continue
            if tag.endswith(b"</text>") and body is not None:
                rest = raw.rstrip()[: -len(b"</text>")]  # "... 2</TEXT>": the last line's text
                if rest.strip() and keeping is not False:
                    body.append(rest + b"\n")
                yield from _keep(fields, body, start)
                fields, body, in_document = {}, None, False
                continue
            if body is None:
                m = _TAG.match(raw)
                if m:
                    fields[m.group(1).decode().lower()] = m.group(2).decode("utf-8", "replace")
                continue
            # A 12b-1 exhibit is kept whole; another exhibit only while its opening may read as a
            # plan; the prospectus and the rest not beyond that opening.
            if keeping is None and size >= _HEAD:
                doc_type = fields.get("type", "")
                keeping = doc_type.upper().startswith("EX-") and _reads_as_plan(b"".join(body))
            if keeping is False:
                continue
            size += len(raw)
            if size > _MAX_EXHIBIT:
                raise InputError(f"{path}:{no}: exhibit larger than {_MAX_EXHIBIT} bytes")
            body.append(raw)
        if body is not None:  # the file ends inside a <TEXT>: keep what is there
            yield from _keep(fields, body, start)


def _keep(fields: dict[str, str], body: list[bytes], start: int) -> Iterator[Exhibit]:
    text = b"".join(body)
    doc_type = fields.get("type", "")
    by_type = _is_12b1_type(doc_type)
    # By content only among exhibits (EX-...): the prospectus itself speaks of its 12b-1 plans.
    by_content = not by_type and doc_type.upper().startswith("EX-") and _reads_as_plan(text)
    if (by_type or by_content) and text.strip():
        yield Exhibit(
            sequence=fields.get("sequence", ""),
            type=doc_type,
            filename=fields.get("filename", ""),
            description=fields.get("description", ""),
            first_line=start,
            text=text,
            by_content=by_content,
        )


def extract_exhibit(path: Path, exhibit: Exhibit) -> Instrument:
    """One exhibit as an Instrument; its line numbers are the submission's."""
    from distplan.documents.extract import extract_document
    from distplan.documents.layout import parse_bytes

    head = exhibit.text[:20000].lstrip().lower()
    html = (
        head.startswith((b"<html", b"<!doctype html"))
        or exhibit.filename.lower().endswith((".htm", ".html"))
        or (b"<table" in head and b"<tr" in head)
    )
    where = f"{path}#{exhibit.sequence or exhibit.first_line}"
    # Blank lines in front keep every line number pointing into the submission file.
    padded = b"\n" * (exhibit.first_line - 1) + exhibit.text
    doc = parse_bytes(padded, where, html=html)
    doc = replace(doc, sha256=hashlib.sha256(exhibit.text).hexdigest())
    inst = extract_document(doc)
    note = Diagnostic(
        "warning" if exhibit.by_content else "info",
        f"from {exhibit.label}"
        + (
            ": not typed as exhibit (m), chosen because it reads as a 12b-1 plan"
            if exhibit.by_content
            else ""
        ),
        exhibit.first_line,
    )
    return replace(inst, source=Source(path=where, sha256=doc.sha256), diagnostics=(note, *inst.diagnostics))


def exhibits_of(path: Path) -> list[Exhibit]:
    """The submission's Rule 12b-1 exhibits (InputError when it has none)."""
    found = list(exhibits(path))
    if not found:
        raise InputError(f"{path}: an EDGAR submission with no Rule 12b-1 exhibit (no EX-99.M document)")
    return found


def extract_submission(path: Path) -> list[Instrument]:
    return [extract_exhibit(path, e) for e in exhibits_of(path)]


def is_submission_file(path: Path) -> bool:
    """Whether the file is a full EDGAR submission, judged from its first bytes."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    return is_submission(head)


def extract_any(path: Path | str) -> list[Instrument]:
    """A plain exhibit -> [its Instrument]; a full EDGAR submission -> one per 12b-1 exhibit.

    Raises InputError (one line naming the file) on bad input or a submission without one."""
    from distplan.documents.extract import extract_path

    path = Path(path)
    if path.is_file() and is_submission_file(path):
        return extract_submission(path)
    return [extract_path(path)]
