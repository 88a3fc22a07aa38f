"""The persistent print queue, alone and driven by the spooler against a real TCP listener."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session, sessionmaker

from drivers.printers import FakeZebra, free_port
from labels import LpnLabel, render_labels_zpl
from station.core.errors import IllegalTransition, InvalidInput
from station.models import LabelJob, LabelJobState
from station.supervision.printing import PrintQueue
from ui.spooler import Spooler, format_for

T0 = dt.datetime(2024, 5, 2, 9, 0, tzinfo=dt.UTC)
ZPL = b"^XA^FO10,10^A0N,30,30^FDLP001000000420^FS^XZ"


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def queue(session_factory: sessionmaker[Session], clock: Clock) -> PrintQueue:
    return PrintQueue(session_factory, station_id="DOCK-1", clock=clock)


class TestQueue:
    def test_enqueued_job_is_claimed_once(self, queue: PrintQueue) -> None:
        job_id = queue.enqueue(kind="lpn", printer="tcp://x", fmt="zpl", payload=ZPL, subject="LP1")
        claimed = queue.claim_due()
        assert [(c.id, c.payload, c.attempt) for c in claimed] == [(job_id, ZPL, 1)]
        assert queue.claim_due() == []
        queue.mark_printed(job_id)
        view = queue.list_jobs(states=None)[0]
        assert view.state == LabelJobState.PRINTED and view.printed_at == T0 and view.size_bytes == len(ZPL)

    def test_failures_back_off_exponentially_and_never_drop(self, queue: PrintQueue, clock: Clock) -> None:
        job_id = queue.enqueue(kind="lpn", printer="tcp://x", fmt="zpl", payload=ZPL)
        delays = []
        for _ in range(9):
            (job,) = queue.claim_due()
            due = queue.mark_failed(job.id, "Printer tcp://x: offline")
            assert due is not None
            delays.append((due - clock.now).total_seconds())
            assert queue.claim_due() == []  # not before its time
            clock.now = due
        assert delays == [5, 10, 20, 40, 80, 160, 320, 600, 600]
        (view,) = queue.list_jobs()
        assert view.state == LabelJobState.QUEUED and view.attempts == 9 and "offline" in view.last_error

    def test_refused_job_waits_for_the_operator(self, queue: PrintQueue) -> None:
        job_id = queue.enqueue(kind="lpn", printer="tcp://x", fmt="zpl", payload=ZPL)
        queue.claim_due()
        assert queue.mark_failed(job_id, "takes ZPL, not PDF", retryable=False) is None
        assert queue.claim_due() == []
        assert queue.list_jobs()[0].state == LabelJobState.FAILED
        queue.retry(job_id)
        assert [j.id for j in queue.claim_due()] == [job_id]

    def test_cancel(self, queue: PrintQueue) -> None:
        job_id = queue.enqueue(kind="lpn", printer="tcp://x", fmt="zpl", payload=ZPL)
        queue.cancel(job_id)
        assert queue.claim_due() == [] and queue.list_jobs() == []
        assert queue.counts() == {LabelJobState.CANCELLED: 1}
        with pytest.raises(IllegalTransition):
            queue.retry(job_id)

    def test_printed_job_cannot_be_cancelled(self, queue: PrintQueue) -> None:
        job_id = queue.enqueue(kind="lpn", printer="tcp://x", fmt="zpl", payload=ZPL)
        queue.claim_due()
        queue.mark_printed(job_id)
        with pytest.raises(IllegalTransition, match="printed"):
            queue.cancel(job_id)

    def test_interrupted_job_is_queued_again_not_printed(self, queue: PrintQueue) -> None:
        job_id = queue.enqueue(kind="lpn", printer="tcp://x", fmt="zpl", payload=ZPL)
        queue.claim_due()  # the station dies while sending
        assert queue.recover_interrupted() == 1
        (view,) = queue.list_jobs()
        assert view.state == LabelJobState.QUEUED and view.printed_at is None
        assert [j.id for j in queue.claim_due()] == [job_id]

    def test_enqueue_joins_the_callers_transaction(self, queue: PrintQueue, session_factory: sessionmaker[Session]) -> None:
        with pytest.raises(RuntimeError), session_factory.begin() as session:
            queue.enqueue(kind="lpn", printer="tcp://x", fmt="zpl", payload=ZPL, session=session)
            raise RuntimeError("receipt failed")
        with session_factory() as session:
            assert session.query(LabelJob).count() == 0

    @pytest.mark.parametrize("kwargs, words", [
        ({"fmt": "png"}, "format"), ({"payload": b""}, "empty"), ({"printer": ""}, "printer"),
        ({"copies": 0}, "copies"),
    ])
    def test_bad_jobs_are_refused(self, queue: PrintQueue, kwargs: dict, words: str) -> None:
        args = {"kind": "lpn", "printer": "tcp://x", "fmt": "zpl", "payload": ZPL} | kwargs
        with pytest.raises(InvalidInput, match=words):
            queue.enqueue(**args)


class TestSpooler:
    LABEL = LpnLabel(lpn="LP001000000420", rma_number="RMA000012344", sku="HP-EB840",
                     description="Headphones 耳机")

    def test_offline_printer_keeps_job_queued_until_it_comes_up(self, queue: PrintQueue, clock: Clock) -> None:
        zebra = FakeZebra(port=free_port())
        uri = f"{zebra.uri}?timeout=1"
        spooler = Spooler(queue)
        job_id = spooler.submit_labels([self.LABEL], printer=uri, size="2x1in")
        payload = render_labels_zpl([self.LABEL], "2x1in")

        first = spooler.run_once()  # printer switched off
        assert first.retrying == (job_id,) and first.printed == ()
        (view,) = queue.list_jobs()
        assert view.state == LabelJobState.QUEUED and uri in view.last_error
        assert spooler.run_once().printed == ()  # backing off: not due yet

        with zebra:  # printer switched on, on the same address
            clock.now += dt.timedelta(seconds=5)
            assert spooler.run_once().printed == (job_id,)
            assert zebra.wait_for_jobs(1) == [payload]
        assert queue.list_jobs() == []
        assert queue.counts() == {LabelJobState.PRINTED: 1}

    def test_jobs_for_a_down_printer_do_not_block_others(self, queue: PrintQueue, tmp_path) -> None:
        spooler = Spooler(queue)
        down = spooler.submit_labels([self.LABEL], printer=f"tcp://127.0.0.1:{free_port()}?timeout=1")
        down2 = spooler.submit_labels([self.LABEL], printer=f"tcp://127.0.0.1:{free_port()}?timeout=1")
        ok = spooler.submit_labels([self.LABEL], printer=f"file://{tmp_path}", copies=2)
        result = spooler.run_once()
        assert result.printed == (ok,) and set(result.retrying) == {down, down2}
        (written,) = tmp_path.glob("*.pdf")
        assert written.read_bytes().startswith(b"%PDF") and "-x2" in written.name

    def test_format_follows_the_printer(self) -> None:
        assert format_for("tcp://zebra:9100") == "zpl"
        assert format_for("cups://Office") == "pdf"
        assert format_for("file:///tmp/x?format=zpl") == "zpl"
