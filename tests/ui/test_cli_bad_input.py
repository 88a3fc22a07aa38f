"""Every sub-command, fed bad arguments, answers with one line on stderr and a non-zero exit.

The sub-commands are discovered from the parser, so a command added later is covered without
editing this file. For each one the test generates: an unknown option, a value of the wrong
kind for every typed option (numbers, days, time zones, choices), zero and a negative number
for every count that must be positive, a missing required argument, and a ``--db`` that is
mistyped, a folder, a text file or an unknown URL. A mistyped ``--db`` must not leave a new
database file behind (only ``db upgrade`` and ``seed-demo`` create one).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import REPO
from ui.cli import argtypes, build_parser, main

CREATES_DATABASE = {("db", "upgrade"), ("seed-demo",)}
POSITIVE_TYPES = {argtypes.positive_int, argtypes.positive_float, argtypes.port}
WRONG_KIND = {int: "ten", float: "fast", argtypes.positive_int: "ten", argtypes.positive_float: "soon",
              argtypes.non_negative_int: "-3", argtypes.non_negative_float: "-1", argtypes.port: "70000",
              argtypes.day: "2026-W01-1", argtypes.day_string: "9999-12-31", argtypes.time_zone: "Nowhere/Zone",
              argtypes.event_id: "not-a-uuid", argtypes.amount: "lots"}
GOOD = {argtypes.day: "2024-05-02", argtypes.day_string: "2024-05-02", argtypes.time_zone: "UTC",
        argtypes.positive_int: "1", argtypes.positive_float: "1", argtypes.port: "25", int: "1", float: "1",
        argtypes.amount: "10.00"}


@dataclass
class Leaf:
    """A runnable command: its words (``["audit", "verify"]``) and its parser."""

    words: tuple[str, ...]
    parser: argparse.ArgumentParser
    actions: list[argparse.Action] = field(default_factory=list)

    @property
    def name(self) -> str:
        return " ".join(self.words)

    @property
    def has_db(self) -> bool:
        return any("--db" in a.option_strings for a in self.actions)


def _leaves(parser: argparse.ArgumentParser, words: tuple[str, ...] = ()) -> Iterator[Leaf]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if words and (not subs or not subs[0].required):
        yield Leaf(words, parser, [a for a in parser._actions if not isinstance(a, argparse._SubParsersAction)])
    for action in subs:
        for name, child in action.choices.items():
            yield from _leaves(child, (*words, name))


LEAVES = list(_leaves(build_parser()))


def filled(leaf: Leaf, tmp_path: Path, *, skip: argparse.Action | None = None) -> list[str]:
    """The leaf's words plus a plausible value for every required argument (but ``skip``)."""
    args = list(leaf.words)
    for action in leaf.actions:
        if action is skip or not action.required and action.option_strings:
            continue
        if not action.option_strings and action.nargs == 0:
            continue
        if action.type is Path or action.dest in ("images", "file"):
            value = str(tmp_path / "input.json")
        elif action.choices:
            value = str(list(action.choices)[0])
        else:
            value = GOOD.get(action.type, "X1")
        if action.option_strings:
            args += [action.option_strings[-1]] if action.nargs == 0 else [action.option_strings[-1], value]
        else:
            args.append(value)
    return args


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().err


def assert_one_clear_line(code: int, err: str, argv: list[str]) -> None:
    assert code != 0, f"{argv} exited 0"
    assert "Traceback" not in err, f"{argv}: {err}"
    assert "rma-station: internal error:" not in err, f"{argv}: {err}"
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rma-station"), f"{argv}: {err!r}"


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    (tmp_path / "input.json").write_text("{}", encoding="utf-8")
    return tmp_path


def test_the_commands_are_discovered() -> None:
    names = {leaf.name for leaf in LEAVES}
    assert {"audit verify", "db upgrade", "label", "sheet", "sales import", "decode", "sync",
            "central init", "rules check", "webhooks", "webhooks add"} <= names


@pytest.mark.parametrize("leaf", LEAVES, ids=lambda leaf: leaf.name)
def test_unknown_option(leaf: Leaf, inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = [*filled(leaf, inputs), "--no-such-option"]
    assert_one_clear_line(*run(argv, capsys), argv)


def _typed_cases() -> Iterator[tuple[Leaf, argparse.Action, str]]:
    for leaf in LEAVES:
        for action in leaf.actions:
            if not action.option_strings or action.nargs == 0 or "--db" in action.option_strings:
                continue
            if action.choices:
                yield leaf, action, "no-such-choice"
            if action.type in WRONG_KIND:
                yield leaf, action, WRONG_KIND[action.type]
            if action.type in POSITIVE_TYPES:
                yield leaf, action, "0"
                yield leaf, action, "-1"


@pytest.mark.parametrize("leaf, action, value", list(_typed_cases()),
                         ids=lambda x: x.name if isinstance(x, Leaf) else x.option_strings[-1]
                         if isinstance(x, argparse.Action) else str(x))
def test_value_of_the_wrong_kind(leaf: Leaf, action: argparse.Action, value: str, inputs: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    argv = [*filled(leaf, inputs, skip=action), action.option_strings[-1], value]
    code, err = run(argv, capsys)
    assert_one_clear_line(code, err, argv)
    assert action.option_strings[-1] in err or action.dest in err


def _required() -> Iterator[tuple[Leaf, argparse.Action]]:
    for leaf in LEAVES:
        for action in leaf.actions:
            if action.required and action.nargs != 0:
                yield leaf, action


@pytest.mark.parametrize("leaf, action", list(_required()),
                         ids=lambda x: x.name if isinstance(x, Leaf) else x.dest)
def test_missing_required_argument(leaf: Leaf, action: argparse.Action, inputs: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    argv = filled(leaf, inputs, skip=action)
    assert_one_clear_line(*run(argv, capsys), argv)


DB_LEAVES = [leaf for leaf in LEAVES if leaf.has_db]


@pytest.mark.parametrize("leaf", [leaf for leaf in DB_LEAVES if leaf.words not in CREATES_DATABASE],
                         ids=lambda leaf: leaf.name)
def test_mistyped_db_is_refused_and_not_created(leaf: Leaf, inputs: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    typo = inputs / "sub" / "statoin.sqlite"
    argv = [*filled(leaf, inputs), "--db", str(typo)]
    code, err = run(argv, capsys)
    assert_one_clear_line(code, err, argv)
    assert not typo.exists() and not typo.parent.exists()


@pytest.mark.parametrize("leaf", DB_LEAVES, ids=lambda leaf: leaf.name)
@pytest.mark.parametrize("kind", ["folder", "text", "url", "driver"])
def test_db_that_is_not_a_database(leaf: Leaf, kind: str, inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = inputs / "notes.txt"
    text.write_text("not a database\n" * 100, encoding="utf-8")
    db = {"folder": str(inputs), "text": str(text), "url": "nosuchdriver://host/db",
          "driver": "mysql://user@127.0.0.1/db"}[kind]
    argv = [*filled(leaf, inputs), "--db", db]
    code, err = run(argv, capsys)
    assert_one_clear_line(code, err, argv)
    assert text.read_text(encoding="utf-8") == "not a database\n" * 100


def test_unreachable_database_server(inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(["audit", "verify", "--db", "postgresql://nobody@127.0.0.1:1/rma"], capsys)
    assert code == 2
    assert err.startswith("rma-station: Cannot open the database") and "refused" in err
    assert len(err.strip().splitlines()) == 1


def _subprocess(argv: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "RMA_STATION_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("RMA_STATION_DB", None)
    return subprocess.run([sys.executable, "-m", "ui.cli", *argv], capture_output=True, text=True,
                          env=env, timeout=120, check=False)


@pytest.mark.parametrize("argv", [
    ["audit", "verify", "--db", "{tmp}/typo.sqlite"],
    ["--db", "{tmp}/typo.sqlite"],  # the window: a named database that is missing is a typo too
    ["sheet", "scrap", "--tz", "Nowhere/Zone", "--out", "{tmp}/x.pdf"],
    ["label", "lpn", "--data", "{tmp}", "--out", "{tmp}/x.pdf"],
    ["sync", "--once", "--batch-size", "0"],
], ids=["audit-typo", "window-typo", "sheet-tz", "label-folder", "sync-batch-0"])
def test_real_process_prints_one_line(argv: list[str], tmp_path: Path) -> None:
    done = _subprocess([a.format(tmp=tmp_path) for a in argv], tmp_path / "home")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and done.stderr.startswith("rma-station"), done.stderr
    assert not (tmp_path / "typo.sqlite").exists()


def test_an_unexpected_error_is_one_line_and_the_traceback_goes_to_the_log(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], station_home: Path) -> None:
    """The last resort: a bug in a command still ends in one line, exit 70, details in the log."""
    import ui.cli.commands.rules as rules

    def broken(_args: argparse.Namespace) -> int:
        raise ZeroDivisionError("division by zero in a rule")

    monkeypatch.setattr(rules, "_check", broken)
    code, err = run(["rules", "check", "x.toml"], capsys)
    log_file = station_home / "data" / "logs" / "station.log"
    assert code == 70
    assert err == ("rma-station: internal error: ZeroDivisionError: division by zero in a rule "
                   f"(details in {log_file})\n")
    logged = log_file.read_text(encoding="utf-8")
    assert "internal error in rma-station rules check x.toml" in logged
    assert "Traceback" in logged and "in broken" in logged


TYPED = [(leaf, action) for leaf in LEAVES for action in leaf.actions
         if action.option_strings and action.nargs != 0 and "--db" not in action.option_strings
         and (action.type is not None or action.choices)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=st.sampled_from(TYPED),  # argv can never hold NUL; a leading "-" is read as an option
       value=st.text(st.characters(blacklist_characters="\x00"), min_size=1, max_size=30)
       .filter(lambda v: not v.startswith("-")))
def test_any_text_for_a_typed_option_is_accepted_or_one_line(
        case: tuple[Leaf, argparse.Action], value: str, inputs: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever is typed after an option, the command never answers with a traceback; the
    database named is missing, so a value that parses still ends in one refusal line."""
    leaf, action = case
    monkeypatch.chdir(inputs)  # a value that is a relative --out lands here, not in the checkout
    typo = inputs / f"missing-{uuid.uuid4().hex}.sqlite"  # examples share the folder; db upgrade creates
    argv = [*filled(leaf, inputs, skip=action), action.option_strings[-1], value]
    if leaf.has_db:
        argv += ["--db", str(typo)]
    code, err = run(argv, capsys)
    assert "Traceback" not in err and "rma-station: internal error:" not in err, (argv, err)
    assert len(err.strip().splitlines()) <= 1, (argv, err)
    if leaf.has_db and leaf.words not in CREATES_DATABASE:
        assert code != 0 and not typo.exists(), (argv, err)


def test_sheet_in_an_unknown_time_zone_names_the_option(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, err = run(["sheet", "scrap", "--tz", "Nowhere/Zone", "--out", str(tmp_path / "s.pdf")], capsys)
    assert code == 2
    assert err == ("rma-station sheet: argument --tz: 'Nowhere/Zone' is not a time zone; use a name like UTC, "
                   "Europe/Berlin or Asia/Shanghai. (see rma-station sheet --help)\n")


def test_sheet_into_a_missing_folder_is_refused_before_rendering(capsys: pytest.CaptureFixture[str],
                                                                 tmp_path: Path) -> None:
    db = tmp_path / "station.sqlite"
    assert main(["db", "upgrade", "--db", str(db)]) == 0
    capsys.readouterr()
    out = tmp_path / "sheetz" / "s.pdf"
    code, err = run(["sheet", "scrap", "--date", "2024-05-02", "--out", str(out), "--db", str(db)], capsys)
    assert (code, err) == (2, f"rma-station: The folder {out.parent} does not exist. "
                              "Create it or choose another --out.\n")


def test_central_init_against_a_server_that_is_not_there(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(["central", "init", "--url", "postgresql://nobody@127.0.0.1:1/central"], capsys)
    assert code == 2
    assert err.startswith("rma-station: Cannot set up the central database: connection failed:")
    assert "Connection refused" in err and err.rstrip().endswith("and the password.")
    assert len(err.splitlines()) == 1


def test_sync_with_batch_size_zero_is_refused_instead_of_pushing_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(["sync", "--once", "--batch-size", "0"], capsys)
    assert (code, err) == (2, "rma-station sync: argument --batch-size: must be at least 1, not 0 "
                              "(see rma-station sync --help)\n")
