"""Errors the CLI turns into one line."""


class UsageError(Exception):
    """A configuration or usage mistake: printed as one line, exit status 2."""
