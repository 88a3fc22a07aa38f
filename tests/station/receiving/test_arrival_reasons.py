"""Tuning the dock camera: why a parcel was identified, or why not, in words with the figures.

The stays here are what the watcher records (``ParcelStay``); the clips that produce them are
in tests/ui/test_cli_decode_video_explain.py. The RMAs come from a small in-memory index, the
same questions the station database answers.
"""

from __future__ import annotations

from dataclasses import replace

from station.core.identifiers import make_rma_number
from station.receiving.arrival_reasons import ParcelStay, Reason, explain_arrival
from station.receiving.identification import RmaIndex

RMA_A, RMA_B, RMA_GONE = make_rma_number(9101), make_rma_number(9102), make_rma_number(9103)
INDEX = RmaIndex(numbers={RMA_A, RMA_B}, by_tracking={"SF5550000000001": {RMA_A},
                                                     "SF9990000000009": {RMA_A, RMA_B}})

SETTLED = ParcelStay(number=1, first_frame=10, left_frame=50, settled_frame=20, codes=(), frames_watched=38,
                     longest_still=25, stillest_percent=0.01, codes_per_read=(0, 0, 0), settle_frames=2,
                     motion_percent=0.2, reads=3)


def stay(*codes: tuple[str, str], **changes: object) -> ParcelStay:
    reads = {"codes_per_read": (len(codes), 0, 0) if codes else (0, 0, 0), **changes}
    return replace(SETTLED, codes=codes, **reads)


class TestNeverSettled:
    def test_a_trembling_parcel_is_never_read_and_the_stillest_frame_is_shown_against_the_threshold(self):
        trembling = stay(settled_frame=None, longest_still=0, stillest_percent=0.9, codes_per_read=())
        why = explain_arrival(trembling)
        assert why.reason is Reason.NEVER_SETTLED and why.rma is None
        assert why.words.startswith("never settled: it never stayed still for 2 frames in a row; the stillest "
                                    "frame still had 0.9 % of the watched area moving (threshold 0.2 %).")
        assert "Raise motion_percent" in why.words

    def test_a_parcel_set_down_for_one_frame_names_its_still_run_and_settle_frames(self):
        brief = stay(settled_frame=None, longest_still=1, stillest_percent=0.05, codes_per_read=(), settle_frames=3)
        why = explain_arrival(brief)
        assert why.reason is Reason.NEVER_SETTLED
        assert "still for at most 1 frame in a row, 3 needed (settle_frames" in why.words
        assert "Lower settle_frames" in why.words

    def test_a_parcel_that_crossed_the_view_without_being_judged_says_how_briefly(self):
        why = explain_arrival(stay(settled_frame=None, longest_still=0, stillest_percent=None, frames_watched=0,
                                   first_frame=10, left_frame=12, codes_per_read=()))
        assert why.words.startswith("never settled: it was in view for 2 frames only")


class TestNothingRead:
    def test_settled_but_no_code_found_gives_the_reads_done_and_what_to_check(self):
        why = explain_arrival(stay())
        assert why.reason is Reason.NOTHING_READ
        assert why.words.startswith("settled at frame 20 and was read 3 times, but no code was found.")
        for hint in ("too small", "watched region", "focus"):
            assert hint in why.words

    def test_a_parcel_taken_away_before_every_read_says_so(self):
        why = explain_arrival(stay(codes_per_read=(0,)))
        assert "read only 1 of 3 times before it moved or left" in why.words


class TestWithTheStationsRmas:
    def test_the_rma_label_identifies_and_is_named(self):
        why = explain_arrival(stay(("SF5550000000001", "code128"), (RMA_A, "qrcode")), INDEX)
        assert why.reason is Reason.IDENTIFIED and why.rma == RMA_A
        assert why.words == f"identified as {RMA_A} by its RMA label {RMA_A} (qrcode)."

    def test_a_box_without_its_return_label_is_identified_by_its_tracking_number(self):
        why = explain_arrival(stay(("SF5550000000001", "code128")), INDEX)
        assert why.words == f"identified as {RMA_A} by tracking number SF5550000000001 (code128)."

    def test_labels_of_two_rmas_on_one_box_name_both_and_the_code_behind_each(self):
        why = explain_arrival(stay((RMA_A, "code128"), (RMA_B, "qrcode")), INDEX)
        assert why.reason is Reason.SEVERAL_RMAS and why.rmas == (RMA_A, RMA_B) and why.rma is None
        assert why.words.startswith(f"codes for 2 RMAs: {RMA_A} by its RMA label {RMA_A} (code128) and "
                                    f"{RMA_B} by its RMA label {RMA_B} (qrcode);")

    def test_a_tracking_number_shared_by_two_rmas_is_no_guess(self):
        why = explain_arrival(stay(("SF9990000000009", "code128")), INDEX)
        assert why.reason is Reason.SEVERAL_RMAS
        assert why.words.startswith("tracking number SF9990000000009 (code128) belongs to several RMAs")

    def test_codes_that_lead_to_no_known_rma_are_each_said_why_not(self):
        misread = RMA_A[:-1] + str((int(RMA_A[-1]) + 1) % 10)
        why = explain_arrival(stay((RMA_GONE, "code128"), ("SF1230000000000", "code128"),
                                   ("6901234567892", "ean13"), (misread, "code128")), INDEX)
        assert why.reason is Reason.NO_RMA
        assert why.words.startswith("4 codes read, none of them an RMA the station knows: ")
        assert f"its RMA label {RMA_GONE} (code128): not in this station's database" in why.words
        assert "tracking number SF1230000000000 (code128): no RMA has this tracking number" in why.words
        assert "product code 6901234567892 (ean13): a product code, not a return label" in why.words
        assert f"code {misread} (code128): RMA number {misread} fails its check digit: a misread" in why.words


class TestWithoutADatabase:
    def test_an_rma_number_is_told_by_its_form_and_said_not_looked_up(self):
        why = explain_arrival(stay((RMA_GONE, "code128"), ("6901234567892", "ean13")))
        assert why.reason is Reason.IDENTIFIED and why.rma == RMA_GONE
        assert why.words.endswith("no database given, so not looked up.")

    def test_two_rma_numbers_are_two_rmas_even_unlooked(self):
        why = explain_arrival(stay((RMA_A, "code128"), (RMA_GONE, "qrcode")))
        assert why.reason is Reason.SEVERAL_RMAS and set(why.rmas) == {RMA_A, RMA_GONE}

    def test_a_tracking_number_alone_needs_a_database(self):
        why = explain_arrival(stay(("SF5550000000001", "code128")))
        assert why.reason is Reason.NO_RMA
        assert why.words == ("1 code read, none of them an RMA number: tracking number SF5550000000001 "
                             "(code128): a tracking number (give a database to find its RMA).")
