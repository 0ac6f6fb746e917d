"""`python -m site_builder` is the same as the `site-builder` command."""

from .commands.cli import entry

entry()
