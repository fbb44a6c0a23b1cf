"""The cyclic collector is paused for a bulk operation's span and resumed after the last one,
whatever happens inside; a collector someone else switched off stays off."""

from __future__ import annotations

import gc
import threading

import pytest

from offset.collector import paused


def test_the_collector_is_paused_inside_and_resumed_after():
    assert gc.isenabled()
    with paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_it_resumes_after_an_error_inside():
    with pytest.raises(ZeroDivisionError), paused():
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_overlapping_operations_resume_it_only_when_the_last_one_ends():
    first_inside, second_done = threading.Event(), threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with paused():
            first_inside.set()
            second_done.wait(5)
            seen.append(gc.isenabled())

    worker = threading.Thread(target=first)
    worker.start()
    first_inside.wait(5)
    with paused():
        pass
    seen.append(gc.isenabled())  # the first operation still runs
    second_done.set()
    worker.join(5)
    assert seen == [False, False]
    assert gc.isenabled()


def test_a_collector_switched_off_elsewhere_stays_off():
    gc.disable()
    try:
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
