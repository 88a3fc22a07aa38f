"""Every threshold the dock camera's arrival watcher uses, with its unit and its sane range.

A dock camera is tuned by changing these and watching what ``decode-video --explain`` says
about each parcel; guessing at constants buried in the watcher does not scale to a second
dock. ``WatchSettings`` is a frozen value: the UI and the CLI build one (from the station's
``camera.*`` settings and command-line options) and hand it to ``ArrivalWatcher``.

The ranges are the limits beyond which the watcher stops making sense (a presence threshold
of 60 % never sees a parcel; one read per rest loses the second read's full-resolution pass
for small 2D codes only, so 1 is allowed). ``station.core.settings`` declares the same ranges
for the ``camera.*`` options (drivers import nothing from station/): a test checks they agree.

Pure stdlib: no Qt, no station import.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class Limit:
    """A field's unit (for messages and the footer) and its allowed range, both ends included."""

    unit: str
    least: float
    most: float
    words: str  # what the number is, as a noun phrase ("the ...")


#: The fields a dock tunes: each is the station setting ``camera.<field>`` and the
#: ``decode-video`` option ``--<field with dashes>`` (``--settle-frames``); the others are
#: the watcher's internals, changed in code with a bench run beside.
TUNED_AT_THE_DOCK = ("presence_percent", "motion_percent", "settle_frames", "empty_frames", "reads",
                     "retries", "retry_every")

#: Unit and range per field of ``WatchSettings``; the one place the watcher's ranges live.
LIMITS: dict[str, Limit] = {
    "presence_percent": Limit("%", 0.05, 20.0,
                              "part of the watched area that must differ from the empty table for a parcel"),
    "motion_percent": Limit("%", 0.01, 10.0,
                            "part of the watched area changing between two frames from which a parcel is moving"),
    "settle_frames": Limit("frames", 1, 30, "number of still frames in a row before a parcel is read"),
    "empty_frames": Limit("frames", 1, 60, "number of empty frames in a row before a parcel has left"),
    "reads": Limit("frames", 1, 10, "number of frames read each time a parcel comes to rest"),
    "retries": Limit("frames", 0, 30,
                     "number of further frames read while a parcel rests unidentified with bars left unread"),
    "retry_every": Limit("frames", 1, 60, "number of frames between two further reads"),
    "present_frames": Limit("frames", 1, 10, "number of present frames in a row before a parcel has arrived"),
    "difference": Limit("log brightness", 0.02, 1.0,
                        "change of a shrunk pixel's high-passed log brightness from which it differs"),
    "watch_side": Limit("px", 80, 640, "long side of the shrunk copy presence and motion are judged on"),
    "fast_side": Limit("px", 480, 3840, "long side of the copy the first zxing pass reads"),
    "table_learning": Limit("per frame", 0.0, 1.0,
                            "rate at which the empty-table model follows lighting drift (0: never)"),
}


@dataclass(frozen=True)
class WatchSettings:
    """The watcher's thresholds. Defaults are the ones measured on the composed dock clips
    and the bench (bench/bench_arrivals.py); see docs/scanning.md for what raising or
    lowering each one does.
    """

    #: Percent of the watched area that differs from the empty-table model: at or above it a
    #: parcel is present. Lower: thin or flat parcels are seen, but so is clutter; higher:
    #: shadows and a hand never count, but a small envelope may not either.
    presence_percent: float = 0.4
    #: Percent of the watched area that changed since the previous frame: below it the frame
    #: is still. Higher: a parcel settles despite a trembling hand or camera; lower: the
    #: read waits for a truly still picture (less motion blur).
    motion_percent: float = 0.2
    #: Still frames in a row before the parcel is settled and read (at 25-30 frames/s, 2 is
    #: under a tenth of a second).
    settle_frames: int = 2
    #: Empty frames in a row before the parcel has left (a hand lifting it across the view
    #: for a frame or two does not end the arrival).
    empty_frames: int = 3
    #: Frames read per rest: each frame's noise differs; the second read adds the
    #: full-resolution pass for small 2D codes and enlarged bar patches.
    reads: int = 3
    #: Further reads while the parcel rests, not yet identified, with bar-like patches no code
    #: covers: a label the camera sees but has not read yet. Each frame's noise, glare and
    #: JPEG blocks differ, and a borderline label reads on some frames and not others; the
    #: caller stops them (``ArrivalWatcher.stop_reading``) once the parcel is identified.
    retries: int = 6
    #: Frames between two further reads (5 at 30 frames/s: six tries a second at most).
    retry_every: int = 5
    #: Present frames in a row before a parcel has arrived (one frame of noise is not a parcel).
    present_frames: int = 2
    #: Log-brightness change (after the high-pass) above which one shrunk pixel differs.
    #: Auto exposure and shadows stay far below it; a box's edges and print far above.
    difference: float = 0.12
    #: Long side in px of the shrunk copy that presence and motion are judged on.
    watch_side: int = 160
    #: Long side in px of the copy the first zxing-cpp pass reads (bar patches are cut from
    #: the full-resolution frame whatever this is).
    fast_side: int = 1280
    #: Learning rate of the empty-table model, per empty frame (0.15: about 7 frames to follow
    #: a lighting change; it never learns while a parcel is in view).
    table_learning: float = 0.15

    def __post_init__(self) -> None:
        for problem in self.problems():
            raise ValueError(problem)

    def problems(self) -> list[str]:
        """Each field outside its range or of the wrong kind, in words (empty: all good)."""
        out = []
        for f in fields(self):
            value, limit = getattr(self, f.name), LIMITS[f.name]
            whole = isinstance(f.default, int)
            if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)):
                out.append(f"{f.name} must be {'a whole number' if whole else 'a number'}, not {value!r}.")
            elif not limit.least <= value <= limit.most:
                out.append(f"{f.name} must be between {limit.least:g} and {limit.most:g} {limit.unit} "
                           f"(the {limit.words}), not {value:g}.")
        return out

    def with_changes(self, **changes: Any) -> WatchSettings:
        """A copy with ``changes`` (None values are left out: "not given")."""
        given = {k: v for k, v in changes.items() if v is not None}
        unknown = set(given) - set(LIMITS)
        if unknown:
            raise ValueError(f"WatchSettings has no {', '.join(sorted(unknown))}.")
        return WatchSettings(**{**{f.name: getattr(self, f.name) for f in fields(self)}, **given})

    def described(self) -> list[str]:
        """One short ``name value unit`` item per field, in declaration order (the CLI's footer)."""
        out = []
        for f in fields(self):
            value, unit = getattr(self, f.name), LIMITS[f.name].unit
            out.append(f"{f.name} {value:g}{' %' if unit == '%' else ' ' + unit}")
        return out
