"""Command-line entry point (``graphintel``)."""

from graphintel.cli.commands import cli, main

__all__ = ["cli", "main"]
