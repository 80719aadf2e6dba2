"""`python -m distplan` runs the CLI."""

from distplan.cli import main

main()
