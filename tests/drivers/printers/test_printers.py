"""Printer backends against real endpoints: a TCP listener, a CUPS queue, a folder."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from drivers.printers import (
    BadPrinterUri, FakeZebra, PrinterOffline, PrinterRejected, free_port, open_printer,
)
from drivers.printers.cups import CupsPrinter
from drivers.printers.folder import FolderPrinter
from drivers.printers.tcp9100 import TcpPrinter
from tests.helpers.cups import cups_queue  # noqa: F401 - the fixture

ZPL = b"^XA^CI28^FO20,20^A0N,30,30^FDLP001000000420^FS^XZ\n"


class TestRegistry:
    def test_uris_resolve_to_backends(self, tmp_path: Path) -> None:
        tcp = open_printer("tcp://10.0.0.5:9101?timeout=2")
        assert isinstance(tcp, TcpPrinter) and (tcp.host, tcp.port, tcp.timeout) == ("10.0.0.5", 9101, 2.0)
        assert open_printer("tcp://zebra1").port == 9100
        cups = open_printer("cups://Zebra_GK420")
        assert isinstance(cups, CupsPrinter) and cups.queue == "Zebra_GK420" and cups.server is None
        remote = open_printer("cups://printhost:631/Office")
        assert (remote.queue, remote.server) == ("Office", "printhost:631")
        folder = open_printer(f"file://{tmp_path}")
        assert isinstance(folder, FolderPrinter) and folder.folder == tmp_path

    @pytest.mark.parametrize("uri, words", [
        ("lpt://x", "unknown kind"), ("tcp://", "needs a host"), ("tcp://h:port", "port"),
        ("cups://", "queue name"), ("tcp://h?timeout=soon", "timeout"),
    ])
    def test_bad_uri_names_the_printer(self, uri: str, words: str) -> None:
        with pytest.raises(BadPrinterUri) as err:
            open_printer(uri)
        assert uri in str(err.value) and words in str(err.value)


class TestTcp9100:
    def test_listener_receives_exact_bytes(self) -> None:
        with FakeZebra() as zebra:
            printer = open_printer(zebra.uri)
            assert printer.status().online
            printer.print_zpl(ZPL)
            printer.print_zpl(ZPL.replace(b"0420", b"0438"))
            assert zebra.wait_for_jobs(2) == [ZPL, ZPL.replace(b"0420", b"0438")]

    def test_large_job_arrives_whole(self) -> None:
        job = ZPL * 20000  # ~1 MB, more than any socket buffer
        with FakeZebra() as zebra:
            open_printer(zebra.uri).print_zpl(job)
            assert zebra.wait_for_jobs(1) == [job]

    def test_unreachable_printer_names_itself(self) -> None:
        uri = f"tcp://127.0.0.1:{free_port()}?timeout=1"
        printer = open_printer(uri)
        status = printer.status()
        assert not status.online and "cannot connect" in status.detail
        with pytest.raises(PrinterOffline) as err:
            printer.print_zpl(ZPL)
        assert uri in str(err.value) and err.value.retryable

    def test_silent_host_times_out(self) -> None:
        # 192.0.2.0/24 is TEST-NET-1 and never routed; a short timeout keeps this quick.
        printer = TcpPrinter("tcp://192.0.2.1:9100", "192.0.2.1", timeout=0.3)
        started = time.monotonic()
        with pytest.raises(PrinterOffline):
            printer.print_zpl(ZPL)
        assert time.monotonic() - started < 3

    def test_pdf_is_refused_not_retried(self) -> None:
        with FakeZebra() as zebra, pytest.raises(PrinterRejected) as err:
            open_printer(zebra.uri).print_pdf(b"%PDF-1.4 ...")
        assert not err.value.retryable and zebra.jobs == []

    def test_non_zpl_is_refused(self) -> None:
        with FakeZebra() as zebra, pytest.raises(PrinterRejected, match="not ZPL"):
            open_printer(zebra.uri).print_zpl(b"hello")


class TestFolder:
    def test_writes_whole_files(self, tmp_path: Path) -> None:
        printer = open_printer(f"file://{tmp_path}")
        name = printer.print_pdf(b"%PDF-1.4 fake", copies=2)
        zname = printer.print_zpl(ZPL)
        assert (tmp_path / name).read_bytes() == b"%PDF-1.4 fake" and name.endswith("-x2.pdf")
        assert (tmp_path / zname).read_bytes() == ZPL
        assert not list(tmp_path.glob(".*.part"))

    def test_missing_folder_is_offline(self, tmp_path: Path) -> None:
        printer = open_printer(f"file://{tmp_path}/nope")
        assert not printer.status().online
        with pytest.raises(PrinterOffline, match="does not exist"):
            printer.print_zpl(ZPL)


class TestCups:
    def test_pdf_goes_through_lp_to_cups_pdf(self, cups_queue: tuple[str, Path]) -> None:
        queue, out_dir = cups_queue
        before = set(out_dir.glob("*.pdf")) if out_dir.is_dir() else set()
        printer = open_printer(f"cups://{queue}")
        assert printer.status().online
        pdf = Path(__file__).with_name("tiny.pdf").read_bytes()
        job = printer.print_pdf(pdf)
        assert job.startswith(f"{queue}-")
        written = b""
        for _ in range(150):  # cups-pdf writes the file progressively: wait for a whole PDF
            new = set(out_dir.glob("*.pdf")) - before if out_dir.is_dir() else set()
            written = next(iter(new)).read_bytes() if new else b""
            if written.rstrip().endswith(b"%%EOF"):
                break
            time.sleep(0.1)
        assert written.startswith(b"%PDF") and written.rstrip().endswith(b"%%EOF")

    def test_unknown_queue_is_rejected_by_name(self, cups_queue: tuple[str, Path]) -> None:
        printer = open_printer("cups://NO_SUCH_QUEUE")
        assert not printer.status().online
        with pytest.raises(PrinterRejected, match="NO_SUCH_QUEUE"):
            printer.print_pdf(b"%PDF-1.4")
