"""A parcel scale on a pseudo-terminal: stable readings, units, tare."""

from __future__ import annotations

from decimal import Decimal

import pytest

from drivers.scales import FakeScale, ScaleError, SerialScale, Weight, parse_weight_line


@pytest.mark.parametrize(
    ("line", "weight"),
    [
        ("ST,GS,+  12.345 kg", Weight(Decimal("12.345"), "kg", True)),
        ("US,GS,+   0.512 kg", Weight(Decimal("0.512"), "kg", False)),
        ("ST,NT,-   1.000 lb", Weight(Decimal("-1.000"), "lb", True, net=True)),
        ("S S      3.200 kg", Weight(Decimal("3.200"), "kg", True)),
        ("S D      3.213 kg", Weight(Decimal("3.213"), "kg", False)),
        ("S +", Weight(Decimal(0), "kg", False, overload=True)),
    ],
)
def test_both_wire_protocols_parse(line: str, weight: Weight) -> None:
    assert parse_weight_line(line) == weight


def test_garbage_after_power_up_is_not_a_weight() -> None:
    assert parse_weight_line("\x00\xff@@") is None
    assert parse_weight_line("ST,GS,+ 1.0 stone") is None


def test_continuous_scale_gives_the_settled_weight() -> None:
    fake = FakeScale(mode="continuous")
    try:
        fake.place("12.5")
        scale = SerialScale(fake.port, mode="continuous")
        try:
            weight = scale.read_stable()
        finally:
            scale.close()
    finally:
        fake.close()
    assert weight.stable and weight.value == Decimal("12.500") and weight.unit == "kg"


def test_request_scale_tares_then_weighs_the_parcel_alone() -> None:
    fake = FakeScale(mode="request")
    try:
        scale = SerialScale(fake.port, mode="request")
        try:
            fake.place("0.8")  # the empty tote
            scale.read_stable()
            scale.tare()
            fake.place("4.0")
            weight = scale.read_stable()
        finally:
            scale.close()
    finally:
        fake.close()
    assert weight.value == Decimal("3.200") and weight.in_kg() == Decimal("3.200")


def test_silent_scale_is_reported_not_waited_on_forever() -> None:
    fake = FakeScale(mode="request")
    fake.close()  # switched off
    with pytest.raises(ScaleError):
        scale = SerialScale(fake.port, mode="request", timeout_s=0.3)
        scale.read()
