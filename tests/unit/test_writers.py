"""Writers to one SQLite file take turns first come, first served (offset.db.writers)."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy.exc import OperationalError

from offset.db.writers import FifoLock


def _queue_up(lock: FifoLock, count: int, granted: list[int]) -> list[threading.Thread]:
    """Start `count` threads that wait for `lock` one after another, recording their turn."""
    def wait_turn(number: int) -> None:
        with lock.held(timeout=10):
            granted.append(number)

    threads = []
    for number in range(count):
        thread = threading.Thread(target=wait_turn, args=(number,))
        thread.start()
        while lock.queued < number + 1:  # this one is in line before the next one asks
            time.sleep(0.001)
        threads.append(thread)
    return threads


def test_the_lock_is_granted_in_the_order_it_was_asked_for():
    lock, granted = FifoLock(), []
    assert lock.acquire(timeout=0)

    threads = _queue_up(lock, 8, granted)
    lock.release()
    for thread in threads:
        thread.join()

    assert granted == list(range(8))
    assert lock.acquire(timeout=0)  # free again once the last one has let go


def test_a_writer_that_waits_too_long_gives_up_as_sqlite_would_and_leaves_the_line():
    lock = FifoLock()
    assert lock.acquire(timeout=0)

    with pytest.raises(OperationalError, match="database is locked"), lock.held(timeout=0.01):
        pass  # pragma: no cover - never granted

    assert lock.queued == 0
    lock.release()
    assert lock.acquire(timeout=0)


def test_the_lock_is_released_when_the_block_raises():
    lock = FifoLock()

    with pytest.raises(ZeroDivisionError), lock.held(timeout=1):
        1 / 0  # noqa: B018

    assert lock.acquire(timeout=0)
