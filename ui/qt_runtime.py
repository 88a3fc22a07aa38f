"""Work-arounds for the Qt binding this station runs on, applied once before any window.

PySide6 6.12.0 on Python 3.11 drops one reference to ``None`` for every call of a
``void``-returning Qt method (``QTimer.start``, ``QObject.setObjectName`` ...; measured with
``sys.getrefcount(None)`` before and after 1,000 calls: -1,000). ``None`` starts with a few
thousand references, so a dock window aborts with "none_dealloc: deallocating None" after
minutes of scanning. Python 3.12 made ``None`` immortal, which hides the bug there. Until
the binding is fixed (or the station requires Python >= 3.12), give ``None`` a reference
count no session can exhaust. Harmless: ``None`` is never freed anyway.
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)

_BALLAST = 1 << 60


def guard_none_refcount() -> bool:
    """Make ``None`` effectively immortal on Python < 3.12; True if anything was changed."""
    if sys.version_info >= (3, 12):
        return False
    refcount = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt is the first field of every object
    if refcount.value >= _BALLAST // 2:
        return False
    refcount.value += _BALLAST
    log.info("None reference count raised (PySide6 void-call refcount bug on Python 3.11)")
    return True
