"""The ``rma-station`` command.

With no sub-command it opens the dock window. Each sub-command lives in its own module in
``ui.cli.commands`` and exposes ``register(subparsers)``; modules are discovered, so adding a
command never means editing this file. Qt is imported only when the window opens, so headless
commands (``db upgrade``, ``sync --once``, ``label``) start fast and run without a display.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from station.core.errors import StationError

log = logging.getLogger(__name__)

INTERNAL_ERROR = 70
"""Exit status for a bug (BSD ``EX_SOFTWARE``), apart from 2 for input the user can fix."""
SIGPIPE_EXIT = 141
"""Exit status when the reader of our output went away (as a shell reports a SIGPIPE end)."""


class OneLineParser(argparse.ArgumentParser):
    """argparse with its complaints on one line: what is wrong, and where the help is.

    The stock parser prints the whole usage block before the error; in a script's log or a
    cron mail the one line that matters then hides under twenty lines of synopsis.
    Sub-command parsers inherit the class, so every command behaves the same.
    """

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {printable(message)} (see {self.prog} --help)\n")


def printable(text: str) -> str:
    """``text`` on one line: control characters a user typed (a stray CR in a file name, a
    newline pasted into an option) are shown escaped instead of breaking the line."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def error_lines(exc: BaseException) -> list[str]:
    """What the command prints for a refusal: one line, and for an error that lists its
    problems (an import's bad lines) one line per problem after it, each made printable."""
    listed = getattr(exc, "problem_lines", None)
    if listed:
        return [printable(str(getattr(exc, "head", ""))), *(f"  {printable(line)}" for line in listed)]
    return [printable(str(exc))]


def build_parser(*, with_commands: bool = True) -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="rma-station",
        description="Returns-dock station. With no command, opens the dock window.",
    )
    add_db_option(parser)
    parser.add_argument(
        "--demo",
        action="store_true",
        help="seed demo data into the database first if it holds none, then open the window",
    )
    parser.add_argument("--station-id", help="this station's id (default: from settings)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    if not with_commands:
        return parser
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    from ui.cli import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(subparsers)
    return parser


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        default=argparse.SUPPRESS,
        help="local database: a SQLite file path or any SQLAlchemy URL "
        "(default: $RMA_STATION_DB, else station.sqlite in the user data dir)",
    )


def parse(argv: Sequence[str]) -> argparse.Namespace:
    """Parse the command line, importing sub-command modules only when one is asked for.

    Opening the window is the common case and must start fast; the sub-command modules pull
    in labels, analytics and sync, which together cost about a second of imports.
    """
    if "-h" in argv or "--help" in argv:
        return build_parser().parse_args(argv)
    args, rest = build_parser(with_commands=False).parse_known_args(argv)
    if rest:
        args = build_parser().parse_args(argv)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parse(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error, already printed on one line
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    handler = getattr(args, "handler", None)
    try:
        if handler is None:
            from ui.app import run_window

            return run_window(args)
        code = int(handler(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
        return code
    except BrokenPipeError:
        return _reader_went_away()
    except StationError as exc:
        first, *more = error_lines(exc)
        print(f"rma-station: {first}", file=sys.stderr)
        for line in more:
            print(line, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the last resort: one line here, the traceback in the log
        known = _known_failure(exc)
        if known is not None:
            print(f"rma-station: {printable(str(known))}", file=sys.stderr)
            return 2
        where = _log_internal_error(exc, argv)
        print(f"rma-station: internal error: {type(exc).__name__}: {_one_line(exc)} (details in {where})",
              file=sys.stderr)
        return INTERNAL_ERROR


def _reader_went_away() -> int:
    """The reader of our output left (``rma-station audit tail | head``): not an error of the
    command. Stop quietly as Unix tools do when SIGPIPE ends them (exit 141 = 128 + 13), with
    stdout pointed at devnull so the interpreter's final flush cannot fail again (the recipe
    of the Python docs, "Note on SIGPIPE")."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor behind stdout (captured in tests)
        pass
    return SIGPIPE_EXIT


def _one_line(exc: BaseException) -> str:
    text = printable(" ".join(str(exc).split()))
    return text[:300] + ("..." if len(text) > 300 else "")


def _known_failure(exc: Exception) -> StationError | None:
    """Failures of the outside world that any command can meet, in the station's words.

    A database that goes away or stays locked mid-command is not a bug in the command; the
    specific causes are handled where they happen, this catches the rest of the same kind.
    """
    if isinstance(exc, UnicodeEncodeError):
        from station.core.errors import InvalidInput

        return InvalidInput(f"A file name or value holds characters this system cannot use ({_one_line(exc)}); "
                            "type it again in plain text.")
    if "sqlalchemy" in sys.modules:
        from sqlalchemy.exc import DBAPIError

        if isinstance(exc, DBAPIError):
            from station.core.db import database_error

            return database_error(exc, opening=False)
    return None


def _log_internal_error(exc: BaseException, argv: Sequence[str]) -> str:
    """Append the traceback to the station log (the file support asks for); return its path."""
    report = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    try:
        from logging.handlers import RotatingFileHandler

        from station.core import paths

        path = paths.log_dir() / "station.log"
        file_handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8",
                                           errors="backslashreplace")
    except OSError:
        import tempfile

        path = Path(tempfile.gettempdir()) / "rma-station-crash.log"
        with open(path, "a", encoding="utf-8") as fallback:
            fallback.write(f"internal error in rma-station {' '.join(argv)}\n{report}\n")
        return str(path)
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    try:
        file_handler.emit(logging.LogRecord(__name__, logging.CRITICAL, __file__, 0,
                                            "internal error in rma-station %s\n%s",
                                            (" ".join(argv), report), None))
    finally:
        file_handler.close()
    return str(path)


if __name__ == "__main__":
    sys.exit(main())
