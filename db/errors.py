"""The one error the case records raise: a message that says what to do, for one line on screen.

db stands below the application and imports nothing of it; the application counts this
error among its own one-line errors (workbench.errors registers it). The message (the first
argument) is a policy.message.Message: as a string the English text, and with its template and
values what the counter needs to say it in the session's language (workbench.words.language.say).
"""


class StoreError(Exception):
    """The case database cannot be used; the message says what to do."""

    exit_code = 1


class StaleCase(StoreError):
    """A write the case no longer takes: another session decided, sent to review or withdrew
    it since this one saw it, or it is past the point where such a write is taken. Nothing was
    written; `number` names the case, so a screen can show it as it now stands."""

    def __init__(self, number: str, message: str) -> None:
        super().__init__(message)
        self.number = number
