"""CLI commands: ledger (see the module of the same name)."""
