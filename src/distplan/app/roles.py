"""Roles and what each may do. One table: the web app's checks and the authorization matrix
test both read it."""

from __future__ import annotations

# Permissions.
READ = "read"  # plans, schedule, diff, timeline, history, coverage
READ_FEES = "read_fees"  # payables
READ_ALL = "read_all"  # the ledger with sources, findings, calendar
VERIFY = "verify"
RECORD = "record"  # instruments and governance (document review too)
VOID = "void"
TERMS = "terms"
FEES = "fees"  # upload net assets
USERS = "users"

ROLES: dict[str, frozenset[str]] = {
    "admin": frozenset({USERS, READ, READ_FEES, READ_ALL, VERIFY}),
    "counsel": frozenset({RECORD, VOID, READ, READ_FEES, READ_ALL, VERIFY}),
    "administrator": frozenset({TERMS, FEES, READ, READ_FEES, READ_ALL}),
    "distributor": frozenset({READ, READ_FEES}),
    "auditor": frozenset({READ, READ_FEES, READ_ALL, VERIFY}),
}


def allowed(role: str, permission: str) -> bool:
    return permission in ROLES.get(role, frozenset())
