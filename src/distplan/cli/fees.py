"""CLI commands: fees (see the module of the same name)."""
