"""What the application layer raises: about the data, never about a front end's flags.

Each is an InputError, so the CLI still prints one line and exits 2; the web app maps them to
HTTP statuses (Invalid 422/400, NotFound 404, Conflict 409). `field` names the input at fault
in the front end's own words when it knows them (the API's query or form field)."""

from __future__ import annotations

from distplan.errors import InputError


class AppError(InputError):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class Invalid(AppError):
    """The input is malformed or inconsistent (a bad date, JSON that is no instrument)."""


class NotFound(AppError):
    """What the input names does not exist (a plan, an entry, a user, an upload)."""


class Conflict(AppError):
    """The input is valid but clashes with what the ledger holds (already voided, ambiguous)."""


def classify(exc: InputError) -> AppError:
    """An error from a stage below (which only knows InputError) as one of ours: the stages'
    messages already name the data; 'no such' / 'no ... with' means NotFound."""
    if isinstance(exc, AppError):
        return exc
    text = str(exc)
    lowered = text.lower()
    if "no such" in lowered or "no plan" in lowered or "has no plans" in lowered:
        return NotFound(text)
    if "already" in lowered or "matches" in lowered or "choose one" in lowered:
        return Conflict(text)
    return Invalid(text)
