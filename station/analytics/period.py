"""The period an analytic covers: whole UTC days, both ends included.

Supervisors ask for "1 to 30 November", meaning both days in full, so a period is two dates
and the SQL bounds are ``[start 00:00, end + 1 day 00:00)`` in UTC. Days are UTC on every
station and in the central database, so two sites' figures for the same week add up.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from station.core.errors import InvalidInput

log = logging.getLogger(__name__)

MAX_DAYS = 3 * 366
"""Longest period accepted: three years (longer is a typo in a year, not a question)."""


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidInput(
                f"The period ends ({self.end}) before it starts ({self.start}).",
                next_step="Swap the dates.",
            )
        if self.days > MAX_DAYS:
            raise InvalidInput(f"The period is {self.days} days long; at most {MAX_DAYS} are allowed.")

    @classmethod
    def parse(cls, start: str, end: str) -> Period:
        """A period from two ISO dates as typed on a command line."""
        try:
            return cls(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
        except ValueError:
            raise InvalidInput(
                f"{start!r} to {end!r} is not a pair of dates.", next_step="Use YYYY-MM-DD."
            ) from None

    @classmethod
    def last_weeks(cls, today: dt.date, weeks: int) -> Period:
        """``weeks`` whole weeks ending today (the dashboard's default view)."""
        if weeks < 1:
            raise InvalidInput("Show at least one week.")
        return cls(today - dt.timedelta(days=7 * weeks - 1), today)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def lower(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time(), dt.UTC)

    @property
    def upper(self) -> dt.datetime:
        """The first instant after the period (exclusive bound)."""
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), dt.UTC)

    def previous(self) -> Period:
        """The period of the same length just before this one (for week-over-week)."""
        return Period(self.start - dt.timedelta(days=self.days), self.start - dt.timedelta(days=1))

    def __str__(self) -> str:
        return f"{self.start.isoformat()} to {self.end.isoformat()}"
