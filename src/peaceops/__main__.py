"""Allow ``python -m peaceops``."""

from peaceops.cli import cli

cli()
