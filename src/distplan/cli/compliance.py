"""CLI commands: compliance (see the module of the same name)."""
