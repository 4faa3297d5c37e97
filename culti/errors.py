"""Errors the CLI turns into one line."""


class UsageError(Exception):
    """A configuration or usage mistake: printed as one line, exit status 2."""


class WorkFolderError(UsageError):
    """OUT/work lacks (or holds a damaged copy of) what an earlier stage writes; the fix is to re-run it."""
