"""Errors a user can fix. The CLI prints them as one line and exits with status 2."""

from __future__ import annotations


class DistplanError(Exception):
    """Base class of distplan's own errors."""


class InputError(DistplanError):
    """Bad input: a malformed document, a wrong CSV column, an unknown fund. The message
    names the place (file, line, field) in one line."""
