"""Downloads from the pages: a month's payables as CSV or XLSX (the distributor's statement of
`distplan.reports`), and the schedule on a day as XLSX (every row, or those a fund filter
keeps). The XLSX is the reports package's writer: numbers as numbers, text never a formula."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.responses import Response

from distplan.app.results import ScheduleView
from distplan.app.roles import READ, READ_FEES
from distplan.app.values import parse_known_at, parse_month
from distplan.web.api.common import PlanId
from distplan.web.api.fees import payables_view
from distplan.web.auth import state
from distplan.web.pages import day_param, router, signed_in, today

Text = Annotated[str | None, Query(max_length=300)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(data: bytes | str, media_type: str, filename: str) -> Response:
    return Response(
        data, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@dataclass(frozen=True)
class MonthQuery:
    """A month's payables as the fees pages ask for them (the reader holds READ_FEES)."""

    request: Request
    plan_id: int
    month: str
    nav: str
    known_at: str | None

    def query(self) -> str:
        """The query string that asks for the same month again (the download links)."""
        from urllib.parse import urlencode

        asked = {"month": self.month, "nav": self.nav, "known_at": self.known_at}
        return urlencode({k: v for k, v in asked.items() if v})

    def view(self) -> Any:
        return payables_view(
            self.request, self.plan_id, self.month, self.nav, self.known_at, "daily-cents-half-even"
        )


def month_query(
    request: Request,
    plan_id: PlanId,
    month: Annotated[str, Query(max_length=7)],
    nav: Annotated[str, Query(max_length=64)],
    known_at: Text = None,
) -> MonthQuery:
    signed_in(request, READ_FEES)
    return MonthQuery(request, plan_id, month, nav, known_at)


Month = Annotated[MonthQuery, Depends(month_query)]


@router.get("/plans/{plan_id}/payables.csv")
def payables_csv(plan_id: PlanId, asked: Month) -> Response:
    view = asked.view()
    return attachment(view.to_csv(), "text/csv; charset=utf-8", f"payables-plan{plan_id}-{view.month}.csv")


@router.get("/plans/{plan_id}/payables.xlsx")
def payables_xlsx(plan_id: PlanId, asked: Month) -> Response:
    from distplan.reports import write
    from distplan.reports.common import Scope
    from distplan.reports.statement import statement

    web = state(asked.request)
    year, mon = parse_month(asked.month)
    scope = Scope(web.workspace, plan_id, parse_known_at(asked.known_at))
    report = statement(scope, web.uploads.path(asked.nav), year, mon, generated_at=web.clock())
    data, _ = write(report, "xlsx")
    return attachment(data, XLSX, f"payables-plan{plan_id}-{year:04d}-{mon:02d}.xlsx")


@router.get("/plans/{plan_id}/schedule.xlsx")
def schedule_xlsx(
    request: Request, plan_id: PlanId, as_of: Text = None, known_at: Text = None, fund: Text = None
) -> Response:
    signed_in(request, READ)
    web = state(request)
    day = day_param(request, as_of, today(request), "as_of")
    view = web.workspace.schedule(plan_id, day, parse_known_at(known_at), fund=fund)
    from distplan.reports import write

    data, _ = write(schedule_report(view, web.clock()), "xlsx")
    return attachment(data, XLSX, f"schedule-plan{plan_id}-{day.isoformat()}.xlsx")


def schedule_report(view: ScheduleView, generated_at: datetime) -> Any:
    """The schedule as a report: one row per fund-class, rates as numbers, the instrument and
    the day each row's state began."""
    from distplan.app.values import known_at_json
    from distplan.reports import Column, Report, Section

    columns = (
        Column("Registrant"),
        Column("Fund"),
        Column("Class"),
        Column("Distribution fee", "rate"),
        Column("Service fee", "rate"),
        Column("Aggregate fee", "rate"),
        Column("Since", "date"),
        Column("Instrument"),
    )

    rows = tuple(
        (
            line.registrant or "",
            line.fund,
            line.share_class or "",
            line.distribution_fee,
            line.service_fee,
            line.aggregate_fee,
            line.since,
            line.instrument,
        )
        for line in view.rows
    )
    facts = [("Message", view.state.message()), *(("Warning", w) for w in view.state.warnings)]
    if view.known_at is not None:
        facts.append(("As known at", str(known_at_json(view.known_at))))
    if view.page is not None and view.page.fund:
        facts.append(("Funds matching", view.page.fund))
    section = Section("Schedule", columns, rows, sheet="Schedule")
    return Report(
        "schedule",
        "Rule 12b-1 schedule",
        view.plan.label,
        f"as of {view.as_of.isoformat()}",
        generated_at,
        (section,),
        facts=tuple(facts),
    )
