"""Document-level fields: title, kind, amendment number, the plan referred to, dates, signatories.

Each field is a plain function over the document's lines returning the value, the source lines
it was read from and diagnostics; `read_meta` runs them all. The rules are those of the corpus
labelling (tests/corpus/README.md): the kind comes from the title ("Amendment No. 2 to ...",
"Schedule A to ...", the plan itself), the amendment number only from "Amendment No. N", and the
effective date by a fixed precedence (`documents/effective.py`). Nothing here knows a fund family.

One module per field: `title` (the title block), `doc_kind` (kind, amendment number), `plan_ref`
(the plan and its classes), `effective` (dates), `parties` (signatories).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from distplan.documents.doc_kind import Found, amendment_number, document_kind
from distplan.documents.effective import DateFinding, DocumentDates, find_dates
from distplan.documents.flow import Flow
from distplan.documents.layout import Document, Line
from distplan.documents.parties import signatories
from distplan.documents.plan_ref import plan_reference
from distplan.documents.title import TitleBlock, title_block
from distplan.model import Diagnostic, Kind, PlanRef

__all__ = ["Meta", "read_meta", "title_block"]


@dataclass(frozen=True)
class Meta:
    """What the document says about itself; `plan_classes` is the class scope its title states."""

    title: str
    title_lines: tuple[Line, ...]
    kind: Kind
    amendment_number: int | None
    plan_title: str | None
    plan_classes: tuple[str, ...]
    dates: DocumentDates
    signatories: tuple[str, ...]
    title_block: TitleBlock
    flags: tuple[str, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = field(default_factory=tuple)

    @property
    def effective(self) -> DateFinding:
        return self.dates.effective

    @property
    def plan(self) -> PlanRef:
        return PlanRef(self.plan_title, self.plan_classes, self.dates.plan_dated)


def read_meta(doc: Document, flow: Flow | None = None) -> Meta:
    """Every document-level field of one exhibit."""
    flow = flow or Flow(doc)
    title = title_block(doc.lines)
    kind = document_kind(title, doc.lines)
    number = amendment_number(title, doc.lines) if kind.value == "amendment" else Found(None)
    plan = plan_reference(title, flow)
    assert isinstance(plan.value, PlanRef)
    kind_value: Kind = (
        "amendment" if kind.value == "amendment" else "plan" if kind.value == "plan" else "schedule"
    )
    dates = find_dates(doc, flow, title.lines, title.date_lines, kind_value)
    return Meta(
        title=title.text,
        title_lines=title.lines,
        kind=kind_value,
        amendment_number=number.value if isinstance(number.value, int) else None,
        plan_title=plan.value.title,
        plan_classes=plan.value.share_classes,
        dates=dates,
        signatories=tuple(signatories(doc)),
        title_block=title,
        flags=(*kind.flags, *dates.effective.flags),
        diagnostics=(*kind.diagnostics, *dates.effective.diagnostics),
    )
