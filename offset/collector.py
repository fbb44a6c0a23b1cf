"""Pausing Python's cyclic garbage collector while a bulk operation runs.

A season's import builds hundreds of thousands of long-lived objects (rows, estimates,
journal entries) that hold no reference cycles; reference counting frees them. Each full
collection the allocations trigger walks all of them again, which cost a third of an
import's time. Pausing the collector for the operation's span removes that cost; cyclic
garbage made meanwhile is collected as soon as the last paused operation ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_paused = 0  # operations running with the collector paused, in any thread


@contextmanager
def paused() -> Iterator[None]:
    """Run the block with the cyclic collector off, unless it was off already."""
    global _paused
    with _lock:
        if _paused == 0 and not gc.isenabled():  # switched off by someone else: leave it
            resume = False
        else:
            resume = True
            _paused += 1
            gc.disable()
    try:
        yield
    finally:
        if resume:
            with _lock:
                _paused -= 1
                if _paused == 0:
                    gc.enable()
