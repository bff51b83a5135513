"""Errors a person at the counter or a calling system can act on.

Anything raised as a WorkbenchError reaches the user as one line that names what is
wrong (a field, a file, a device), never as a traceback. The case records raise their own
(db.errors.StoreError: db stands below the application and imports nothing of it);
`ONE_LINE_ERRORS` is both, for the places that report them.

Languages: the workbench raises its own errors with words already in the session's language
(`_()`); words from below the counter (a ClaimInputError's problem, a PolicyFileError) come as a
`policy.message.Message`, kept as the error's first argument: `str(error)` is then the English
(what a record or a log keeps) and `workbench.words.language.spoken(error)` the session's words.
An InputError's field that is a key for machines (a claim JSON key, `section.key`, an option) is
given as it is; one that is a person's word is given translated. `field: problem` keeps its
ASCII ": " in every language.
"""

from db.errors import StaleCase, StoreError
from policy.message import Message


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
        # A problem from below the counter stays a Message, so spoken(error) says it.
        super().__init__(
            Message("{field}: {problem}", field=field, problem=problem)
            if isinstance(problem, Message)
            else f"{field}: {problem}"
        )


class ConfigError(InputError):
    """The station configuration has a bad or missing value; field is `section.key`."""


ONE_LINE_ERRORS = (WorkbenchError, StoreError)

__all__ = ["ONE_LINE_ERRORS", "ConfigError", "InputError", "StaleCase", "StoreError", "WorkbenchError"]
