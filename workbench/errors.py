"""Errors a person at the counter or a calling system can act on.

Anything raised as a WorkbenchError reaches the user as one line that names what is
wrong (a field, a file, a device), never as a traceback. The case records raise their own
(db.errors.StoreError: db stands below the application and imports nothing of it);
`ONE_LINE_ERRORS` is both, for the places that report them.
"""

from db.errors import StaleCase, StoreError


class WorkbenchError(Exception):
    """A failure to report in one line; `exit_code` is what the CLI exits with."""

    exit_code = 1

    def __init__(self, message: str, *, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class InputError(WorkbenchError):
    """Invalid input from the user or a calling system: `field: what is wrong`."""

    exit_code = 2

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


class ConfigError(InputError):
    """The station configuration has a bad or missing value; field is `section.key`."""


ONE_LINE_ERRORS = (WorkbenchError, StoreError)

__all__ = ["ONE_LINE_ERRORS", "ConfigError", "InputError", "StaleCase", "StoreError", "WorkbenchError"]
