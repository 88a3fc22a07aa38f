"""Parcel scales on a serial port: ``SerialScale`` reads ``Weight`` values; ``FakeScale``
plays a dock scale on a pseudo-terminal."""

from drivers.scales.protocol import Weight, parse_weight_line
from drivers.scales.serial_scale import FakeScale, ScaleError, SerialScale

__all__ = ["Weight", "parse_weight_line", "SerialScale", "FakeScale", "ScaleError"]
