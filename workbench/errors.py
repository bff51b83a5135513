"""Errors a person at the counter or a calling system can act on.

Anything raised as a WorkbenchError reaches the user as one line that names what is
wrong (a field, a file, a device), never as a traceback. The case records raise their own
(db.errors.StoreError: db stands below the application and imports nothing of it);
`ONE_LINE_ERRORS` is both, for the places that report them.

A WorkbenchError reads (str) in the session's language: the workbench raises its own with words
already translated (`_()`); a `policy.message.Message` given instead (words from below the counter,
e.g. a ClaimInputError's problem) stays in `args` as it is (English, with its template) and is
said when the error is read (workbench.words.language.say). An InputError's field that is a key
for machines (a claim JSON key, `section.key`, an option) is given as it is; one that is a
person's word is given translated. `field: problem` keeps its ASCII ": " in every language.
"""

from db.errors import StaleCase, StoreError
from workbench.words.language import say


class WorkbenchError(Exception):
    """A failure to report in one line; `exit_code` is what the CLI exits with."""

    exit_code = 1

    def __init__(self, message: str, *, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:
        return say(self.args[0]) if len(self.args) == 1 else super().__str__()


class InputError(WorkbenchError):
    """Invalid input from the user or a calling system: `field: what is wrong`."""

    exit_code = 2

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self._problem = problem
        super().__init__(f"{field}: {problem}")

    @property
    def problem(self) -> str:
        """What is wrong, in the session's language."""
        return say(self._problem)

    def __str__(self) -> str:
        return f"{self.field}: {self.problem}"


class ConfigError(InputError):
    """The station configuration has a bad or missing value; field is `section.key`."""


ONE_LINE_ERRORS = (WorkbenchError, StoreError)

__all__ = ["ONE_LINE_ERRORS", "ConfigError", "InputError", "StaleCase", "StoreError", "WorkbenchError"]
