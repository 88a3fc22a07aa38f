"""PINs and passwords for the command line: from an environment variable (scripts) or typed
at the terminal, never from the command line itself (``ps`` and the shell's history would
show them).

Without a terminal (cron, a pipe, a service) ``getpass`` falls back to reading standard input
with the text echoed, and at its end raises ``EOFError``: the command then died with an
internal error. Here that is one line saying where the secret can come from instead.
"""

from __future__ import annotations

import getpass
import os
import warnings

from station.core.errors import InvalidInput


def ask_secret(prompt: str, *, env: str | None = None, what: str = "PIN") -> str:
    """The value of ``$env`` if set, else what is typed at the terminal after ``prompt``."""
    if env and os.environ.get(env):
        return os.environ[env]
    with warnings.catch_warnings():
        warnings.simplefilter("error", getpass.GetPassWarning)  # "cannot control echo": no terminal
        try:
            return getpass.getpass(prompt)
        except (getpass.GetPassWarning, EOFError):
            pass
    where = f"set {env} or run the command in a terminal" if env else "run the command in a terminal"
    raise InvalidInput(f"No terminal to type the {what} on: {where}.")
