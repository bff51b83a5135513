"""The one error the case records raise: a message that says what to do, for one line on screen.

db stands below the application and imports nothing of it; the application counts this
error among its own one-line errors (workbench.errors registers it).
"""


class StoreError(Exception):
    """The case database cannot be used; the message says what to do."""

    exit_code = 1
