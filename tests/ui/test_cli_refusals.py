"""What a probe of the command line found answered with "internal error" (exit 70) or taken
at face value, now refused in one line with the usage exit code (2), changing nothing:
import and policy files that are not UTF-8, a 10,000-character ``--db``, a count beyond any
database's, a password asked with no terminal, a station renamed without an admin, numbers
written in other scripts' digits, a negative limit.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from station.core.db import make_engine
from station.models import Base, Role
from tests.helpers.builders import add_operator
from tests.ui.test_cli_bad_input import LEAVES, Leaf, filled
from ui.cli import argtypes, main

ROOT = Path(__file__).resolve().parents[2]


def contents(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table, to prove a refused command changed nothing."""
    engine = make_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as conn:
            return {t.name: sorted(map(tuple, conn.execute(select(t))), key=repr) for t in Base.metadata.sorted_tables}
    finally:
        engine.dispose()


@pytest.fixture
def station_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A migrated station file with its first admin, A1 (PIN 246802), as a new dock has it."""
    db = tmp_path / "station.sqlite"
    assert main(["db", "upgrade", "--db", str(db)]) == 0
    from station.core.db import make_session_factory

    engine = make_engine(f"sqlite:///{db}")
    with make_session_factory(engine).begin() as s:
        add_operator(s, Role.ADMIN, badge="A1", name="Ada", pin="246802")
        add_operator(s, Role.CLERK, badge="C1", name="Cy", pin="1357")
    engine.dispose()
    capsys.readouterr()
    return db


def refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """The one line ``argv`` was refused with (exit 2, nothing on stdout)."""
    code = main(argv)
    out, err = capsys.readouterr()
    assert (code, out) == (2, ""), (argv, code, out, err)
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    return err


def cli(tmp_path: Path, *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``rma-station`` as a cron job runs it: no terminal at all (a new session, stdin empty)."""
    environ = {**os.environ, "PYTHONPATH": str(ROOT), "RMA_STATION_HOME": str(tmp_path / "home"), **env}
    for name in ("RMA_PIN", "RMA_ADMIN_PIN", "RMA_STATION_DB"):
        if name not in env:
            environ.pop(name, None)
    return subprocess.run([sys.executable, "-m", "ui.cli", *argv], env=environ, capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL, start_new_session=True)


class TestFilesThatAreNotUtf8:
    LATIN1_ORDERS = "order_number,sku,quantity,customer_name\nSO-1,TS-1,1,Ren\xe9e M\xfcller\n"

    @pytest.mark.parametrize(("command", "name", "text", "hint"), [
        (["orders", "import"], "orders.csv", LATIN1_ORDERS, 'save it as UTF-8 (in Excel: "CSV UTF-8")'),
        (["rmas", "import"], "requests.csv", "order_number,sku,reason\nSO-1,TS-1,d\xe9faut\n",
         'save it as UTF-8 (in Excel: "CSV UTF-8")'),
        (["prices", "import"], "prices.csv", "sku,grade,price,currency\nTS-1,A,10.00,CNY\nTS-\xa32,B,5.00,CNY\n",
         'save it as UTF-8 (in Excel: "CSV UTF-8")'),
        (["sales", "import"], "sales.csv", "date,sku,units\n2024-05-01,TS-1,3\n2024-05-02,TS-\xb12,4\n",
         'save it as UTF-8 (in Excel: "CSV UTF-8")'),
        (["policy", "check"], "policy.toml", '[request]\nwindow_days = 30\n# r\xe9sum\xe9\n', "save it as UTF-8"),
    ], ids=["orders", "rmas", "prices", "sales", "policy"])
    def test_a_file_saved_as_latin_1_is_refused_naming_the_line(self, command, name, text, hint, station_db,
                                                               tmp_path, capsys) -> None:
        path = tmp_path / name
        path.write_bytes(text.encode("latin-1"))
        before = contents(station_db)
        line = next(n for n, row in enumerate(text.splitlines(), 1) if not row.isascii())
        bad = next(ch for ch in text if not ch.isascii()).encode("latin-1")[0]
        err = refused([*command, str(path), "--db", str(station_db)], capsys)
        prog = "rma-station " + " ".join(command)
        assert err == (f"{prog}: argument file: {path} is not UTF-8 text (line {line}, byte 0x{bad:02x}); {hint} "
                       f"(see {prog} --help)\n")
        assert contents(station_db) == before

    def test_a_character_cut_off_at_the_end_is_named(self, station_db, tmp_path, capsys) -> None:
        path = tmp_path / "orders.csv"
        path.write_bytes("order_number,sku\nSO-1,\u4e2d".encode()[:-1])
        assert "is not UTF-8 text (line 2, a character cut off at the end)" in refused(
            ["orders", "import", str(path), "--db", str(station_db)], capsys)

    def test_utf8_with_a_bom_and_chinese_names_is_read(self, station_db, tmp_path, capsys) -> None:
        path = tmp_path / "sales.csv"
        path.write_bytes("date,sku,units\n2024-05-01,TS-\u4e2d,3\n".encode("utf-8-sig"))
        assert main(["sales", "import", str(path), "--db", str(station_db)]) == 0
        assert "imported 1 of 1 rows" in capsys.readouterr().out

    def test_a_big_file_is_checked_in_pieces_and_its_bad_line_found(self, station_db, tmp_path, capsys) -> None:
        path = tmp_path / "sales.csv"
        rows = "".join(f"2024-05-01,TS-{n},1\n" for n in range(200_000))  # about 4 MB: several pieces
        path.write_bytes(b"date,sku,units\n" + rows.encode() + "2024-05-02,TS-\xe9,1\n".encode("latin-1"))
        assert "is not UTF-8 text (line 200002, byte 0xe9)" in refused(
            ["sales", "import", str(path), "--db", str(station_db)], capsys)


class TestDatabaseNames:
    @pytest.mark.parametrize("command", [["audit", "verify"], ["audit", "tail"], ["operators", "list"]])
    def test_a_10000_character_db_is_one_line_and_creates_nothing(self, command, tmp_path, capsys) -> None:
        long = str(tmp_path / ("x" * 10_000)) + ".sqlite"
        err = refused([*command, "--db", long], capsys)
        shown = f"{long[:60]}...{long[-20:]} ({len(long):,} characters)"
        assert err == f"rma-station: {shown} cannot be a database file (File name too long). " \
                      "Check --db (or RMA_STATION_DB).\n"
        assert list(tmp_path.iterdir()) == []

    def test_a_file_name_over_255_bytes_is_refused_the_same_way(self, tmp_path, capsys) -> None:
        name = str(tmp_path / ("\u4e2d" * 100)) + ".sqlite"  # 100 characters, 300 bytes
        assert "cannot be a database file (File name too long)" in refused(["audit", "verify", "--db", name], capsys)


class TestCounts:
    def test_audit_tail_of_more_events_than_any_database_holds(self, station_db, capsys) -> None:
        err = refused(["audit", "tail", "-n", "99999999999999999999", "--db", str(station_db)], capsys)
        assert err == ("rma-station audit tail: argument -n: must be at most 2147483647, not 99999999999999999999 "
                       "(see rma-station audit tail --help)\n")

    @pytest.mark.parametrize(("argv", "option"), [
        (["resolution", "queue", "--limit", "-1"], "--limit"),
        (["events", "feed", "--limit", "-5"], "--limit"),
        (["report", "--top", "-3", "--out", "r.pdf"], "--top"),
    ])
    def test_a_negative_limit_is_refused(self, argv, option, station_db, capsys) -> None:
        before = contents(station_db)
        err = refused([*argv, "--db", str(station_db)], capsys)
        assert f"argument {option}: must be at least 1, not -" in err
        assert contents(station_db) == before


def _numeric_options() -> list[tuple[Leaf, argparse.Action]]:
    numeric = {argtypes.positive_int, argtypes.non_negative_int, argtypes.port, argtypes.positive_float,
               argtypes.non_negative_float, argtypes.amount}
    return [(leaf, a) for leaf in LEAVES for a in leaf.actions if a.option_strings and a.type in numeric]


class TestDigits:
    def test_every_number_the_command_line_reads_goes_through_one_type(self) -> None:
        """No option parses with Python's own int() or float(), which take any script's digits."""
        loose = [f"{leaf.name} {a.option_strings[-1]}" for leaf in LEAVES for a in leaf.actions
                 if a.type in (int, float)]
        assert loose == []
        assert len(_numeric_options()) > 30

    @pytest.mark.parametrize(("leaf", "action"), _numeric_options(),
                             ids=lambda x: x.name if isinstance(x, Leaf) else x.option_strings[-1])
    @pytest.mark.parametrize("digits", ["\uff11\uff12\uff13", "\u0661\u0662\u0663", "1_000", "\u00b9\u00b2"],
                             ids=["full-width", "arabic-indic", "underscore", "superscript"])
    def test_digits_of_another_script_are_refused(self, leaf, action, digits, tmp_path, capsys) -> None:
        argv = [*filled(leaf, tmp_path, skip=action), action.option_strings[-1], digits]
        err = refused(argv, capsys)
        assert f"argument {action.option_strings[-1]}: {digits!r} is not" in err and "0-9" in err

    def test_station_number_in_full_width_digits_is_refused_and_nothing_renamed(self, station_db, tmp_path,
                                                                               capsys) -> None:
        before = contents(station_db)
        err = refused(["station", "rename", "--number", "\uff11\uff12\uff13", "--reason", "x", "--admin-badge", "A1",
                       "--db", str(station_db)], capsys)
        assert err == ("rma-station station rename: argument --number: '１２３' is not a whole number (digits 0-9) "
                       "(see rma-station station rename --help)\n")
        assert contents(station_db) == before

    @pytest.mark.parametrize("text", ["1,280.50", "180", "0.5", ".5"])
    def test_amounts_in_ascii_digits_pass_as_typed(self, text) -> None:
        assert argtypes.amount(text) == text

    @pytest.mark.parametrize("text", ["\uff11\uff18\uff10", "1e3", "NaN", "12,34", "-5"])
    def test_amounts_in_other_forms_are_refused(self, text) -> None:
        with pytest.raises(argparse.ArgumentTypeError, match="is not an amount"):
            argtypes.amount(text)


class TestSecretsWithoutATerminal:
    def test_central_password_with_no_terminal_is_one_line(self, tmp_path) -> None:
        done = cli(tmp_path, "central", "password", "--url", "postgresql://rma@127.0.0.1/central")
        assert (done.returncode, done.stdout) == (2, "")
        assert done.stderr == ("rma-station: No terminal to type the central database password on: run the command "
                               "in a terminal.\n")

    def test_a_pin_with_no_terminal_names_the_variable_that_can_hold_it(self, station_db, tmp_path) -> None:
        before = contents(station_db)
        done = cli(tmp_path, "station", "rename", "--number", "12", "--reason", "dock moved", "--admin-badge", "A1",
                   "--db", str(station_db))
        assert (done.returncode, done.stderr) == (2, "rma-station: No terminal to type the PIN on: set RMA_ADMIN_PIN "
                                                     "or run the command in a terminal.\n")
        assert contents(station_db) == before


class TestStationRename:
    def test_rename_without_an_admin_badge_is_refused_and_nothing_changes(self, station_db, tmp_path,
                                                                         capsys) -> None:
        before = contents(station_db)
        err = refused(["station", "rename", "--number", "12", "--reason", "dock moved", "--db", str(station_db)],
                      capsys)
        assert err == ("rma-station station rename: the following arguments are required: --admin-badge "
                       "(see rma-station station rename --help)\n")
        assert contents(station_db) == before

    def test_a_clerk_s_badge_may_not_rename(self, station_db, capsys, monkeypatch) -> None:
        monkeypatch.setenv("RMA_ADMIN_PIN", "1357")
        err = refused(["station", "rename", "--number", "12", "--reason", "dock moved", "--admin-badge", "C1",
                       "--db", str(station_db)], capsys)
        assert "may not change station settings" in err
        renamed = [r for r in contents(station_db)["audit_events"] if "station.renamed" in r]
        assert renamed == []

    def test_an_admin_renames_with_badge_and_pin(self, station_db, capsys, monkeypatch) -> None:
        monkeypatch.setenv("RMA_ADMIN_PIN", "246802")
        assert main(["station", "rename", "--number", "12", "--reason", "dock moved", "--admin-badge", "A1",
                     "--db", str(station_db)]) == 0
        assert "is now DOCK01 (number 12)" in capsys.readouterr().out
