"""Keyboard wedge: scans are told from typing by timing, never land in a text field."""

from __future__ import annotations

from drivers.scanners.wedge import ENTER, RETURN, TAB, WedgeAssembler, WedgeConfig
from drivers.scanners.wedge_sim import KeyPress, WedgeSimulator, replay


def burst(text: str, start: float = 10.0, gap: float = 0.002, end: str = RETURN) -> list[KeyPress]:
    keys = [KeyPress(ch, start + i * gap) for i, ch in enumerate(text)]
    return keys + [KeyPress(end, start + len(text) * gap)]


def typed(text: str, start: float = 0.0, gap: float = 0.15) -> list[KeyPress]:
    return [KeyPress(ch, start + i * gap) for i, ch in enumerate(text)]


class TestScanWhileTyping:
    def test_scan_arriving_while_clerk_types_goes_to_scan_not_field(self) -> None:
        keys = typed("note", 0.0) + burst("RMA000012344", 1.0) + typed("ok", 1.5)
        out = replay(WedgeAssembler(), keys)
        assert out.scans == ("RMA000012344",)
        assert out.typed == tuple("note") + tuple("ok")

    def test_clerk_enter_and_backspace_reach_the_field_in_order(self) -> None:
        keys = typed("ab", 0.0) + [KeyPress("Backspace", 0.5), KeyPress("c", 0.7), KeyPress(RETURN, 0.9)]
        out = replay(WedgeAssembler(), keys)
        assert out.scans == ()
        assert out.typed == ("a", "b", "Backspace", "c", RETURN)

    def test_typed_key_is_released_once_its_gap_passes(self) -> None:
        assembler = WedgeAssembler()
        assert assembler.feed("x", 1.0).typed == ()  # held: could be a scan's first key
        assert assembler.next_deadline() == 1.0 + assembler.config.max_gap_s
        assert assembler.poll(1.5).typed == ("x",)
        assert assembler.next_deadline() is None


class TestTerminatorsAndFraming:
    def test_keypad_enter_and_tab_end_a_scan_like_return(self) -> None:
        for end in (RETURN, ENTER, TAB):
            out = replay(WedgeAssembler(), burst("LP001000000420", end=end))
            assert out.scans == ("LP001000000420",), end

    def test_configured_prefix_and_suffix_are_stripped(self) -> None:
        cfg = WedgeConfig(prefix="#", suffix="$")
        out = replay(WedgeAssembler(cfg), burst("#EMP12345$"))
        assert out.scans == ("EMP12345",)

    def test_fast_burst_without_the_prefix_is_typing(self) -> None:
        cfg = WedgeConfig(prefix="#")
        out = replay(WedgeAssembler(cfg), burst("EMP12345"))
        assert out.scans == ()
        assert out.typed == tuple("EMP12345") + (RETURN,)

    def test_burst_without_terminator_is_handed_back_when_terminator_required(self) -> None:
        keys = [KeyPress(ch, 1 + i * 0.002) for i, ch in enumerate("ABCDEF")]
        assert replay(WedgeAssembler(), keys).typed == tuple("ABCDEF")
        cfg = WedgeConfig(require_terminator=False)
        assert replay(WedgeAssembler(cfg), keys).scans == ("ABCDEF",)


class TestGroupSeparator:
    def test_gs1_separator_sent_as_ctrl_bracket_survives(self) -> None:
        out = replay(WedgeAssembler(), burst("0109501101530003\x1d10AB12"))
        assert out.scans == ("0109501101530003\x1d10AB12",)

    def test_gs1_separator_as_function_key_sequence_becomes_gs(self) -> None:
        cfg = WedgeConfig(group_separator=("F8",))
        keys = [KeyPress(k, 1 + i * 0.002) for i, k in enumerate([*"0109501101530003", "F8", *"10AB", RETURN])]
        assert replay(WedgeAssembler(cfg), keys).scans == ("0109501101530003\x1d10AB",)

    def test_function_key_typed_by_a_person_is_handed_back(self) -> None:
        out = replay(WedgeAssembler(), [KeyPress("F5", 1.0)])
        assert out.typed == ("F5",)


def test_one_trigger_pull_with_three_codes_gives_three_scans() -> None:
    sim = WedgeSimulator(seed=3, terminator=RETURN)
    keys = sim.trigger_pull(["RMA000012344", "LP001000000420", "4006381333931"], start=5.0)
    out = replay(WedgeAssembler(), keys)
    assert out.scans == ("RMA000012344", "LP001000000420", "4006381333931")
    assert out.typed == ()


def test_two_thousand_bursts_mixed_with_typing_route_every_key_right() -> None:
    cfg = WedgeConfig(prefix="", suffix="", group_separator=("F8",))
    session = WedgeSimulator(cfg, seed=11).session(2000)
    out = replay(WedgeAssembler(cfg), session.keys)
    assert out.scans == session.scans
    assert out.typed == session.typed


class TestBurstsOnABusyMachine:
    """Issue 15, problem 5: a burst ends by the scanner's own rhythm, not a fixed 20 ms."""

    def test_enter_twenty_ms_late_still_ends_the_rma_scan(self) -> None:
        # A 7 ms scanner whose Enter came 20 ms late: before, the RMA was typed into the field.
        keys = [KeyPress(ch, 1 + i * 0.007) for i, ch in enumerate("RMA000012344")]
        keys.append(KeyPress(RETURN, keys[-1].at + 0.027))
        out = replay(WedgeAssembler(), keys)
        assert out.scans == ("RMA000012344",)
        assert out.typed == ()

    def test_command_burst_with_a_stall_after_its_first_letter_stays_whole(self) -> None:
        assembler = WedgeAssembler()
        replay(assembler, burst("RMA000012344", start=1.0, gap=0.007))  # the scanner's rhythm
        keys = burst("CMD:CONFIRM", start=5.0, gap=0.007)
        keys = keys[:5] + [KeyPress(k.key, k.at + 0.024) for k in keys[5:]]  # stall after "CMD:C"
        out = replay(assembler, keys)
        assert out.scans == ("CMD:CONFIRM",)

    def test_person_typing_after_scans_is_still_typing(self) -> None:
        assembler = WedgeAssembler()
        replay(assembler, burst("RMA000012344", start=1.0, gap=0.007))
        out = replay(assembler, typed("qty 3", start=3.0, gap=0.080) + [KeyPress(RETURN, 3.5)])
        assert out.scans == ()
        assert out.typed == (*"qty 3", RETURN)

    def test_ten_thousand_jittery_bursts_none_split(self) -> None:
        sim = WedgeSimulator(seed=11, scanner_gap_s=(0.005, 0.009), stall_s=(0.005, 0.020),
                             stall_share=0.05)
        session = sim.session(10_000, typing_share=0.3)
        out = replay(WedgeAssembler(), session.keys)
        assert out.scans == session.scans
        assert out.typed == session.typed
