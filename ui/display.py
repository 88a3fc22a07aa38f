"""Is there a screen for the window? Asked before Qt is, because Qt's own answer on a machine
without one ("Could not load the Qt platform plugin xcb ... Reinstalling the application may
fix this problem") is false and names no way forward. Plain Python: no Qt imported here."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

NEEDS_NO_SCREEN = {"offscreen", "minimal", "vnc", "linuxfb", "eglfs", "vkkhrdisplay", "minimalegl"}
"""Qt platforms that draw somewhere else than an X11 or Wayland desktop."""

WAYS_FORWARD = ("Run it on the dock's desktop, or on a virtual screen with `xvfb-run rma-station`, "
                "or start the web face instead with `rma-station serve`.")

X11_SOCKETS = Path("/tmp/.X11-unix")


def missing_display(env: Mapping[str, str] | None = None, platform: str | None = None) -> str | None:
    """Why the window cannot open here, in one sentence, or None when it can (or when only Qt
    can tell: other systems, a remote X display)."""
    env = os.environ if env is None else env
    if not (platform or sys.platform).startswith("linux"):
        return None
    chosen = env.get("QT_QPA_PLATFORM", "").split(":")[0].strip().lower()
    if chosen in NEEDS_NO_SCREEN:
        return None
    display, wayland = env.get("DISPLAY", "").strip(), env.get("WAYLAND_DISPLAY", "").strip()
    if chosen.startswith("wayland") and wayland or not chosen and wayland:
        return None
    if not display:
        return "There is no screen to open the station's window on (DISPLAY is not set)."
    local = _local_display_number(display)
    if local is not None and not (X11_SOCKETS / f"X{local}").exists():
        return f"DISPLAY={display} names no running X server on this machine."
    return None


def _local_display_number(display: str) -> str | None:
    """``:0`` / ``:99.0`` / ``unix:1`` -> the display number; None for a remote ``host:0``."""
    host, _, rest = display.rpartition(":")
    if host not in ("", "unix"):
        return None
    number = rest.split(".")[0]
    return number if number.isdigit() else None
