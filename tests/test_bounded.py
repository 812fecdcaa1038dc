"""The rendering children: kept between calls, never reused after a limit or a death."""

from __future__ import annotations

import os
import time

import pytest

from cti_briefings.bounded import ChildFailed, LimitExceeded, run_bounded

MEMORY = 100_000_000


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stream:
            return stream.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_one_child_serves_call_after_call():
    first = run_bounded(os.getpid, seconds=4, memory=MEMORY)
    assert first != os.getpid()
    assert run_bounded(os.getpid, seconds=4, memory=MEMORY) == first


def test_a_child_out_of_time_is_killed_and_the_next_call_has_a_fresh_one():
    used = run_bounded(os.getpid, seconds=4, memory=MEMORY)
    started = time.monotonic()
    with pytest.raises(LimitExceeded) as stopped:
        run_bounded(time.sleep, 30, seconds=0.25, memory=MEMORY)  # asleep: the parent's wall-clock limit stops it
    assert stopped.value.which == "time"
    assert time.monotonic() - started < 10
    assert not alive(used)
    fresh = run_bounded(os.getpid, seconds=4, memory=MEMORY)
    assert fresh != used and alive(fresh)


def test_an_error_in_a_call_leaves_the_child_in_service():
    used = run_bounded(os.getpid, seconds=4, memory=MEMORY)
    with pytest.raises(ChildFailed) as failed:
        run_bounded(int, "not a number", seconds=4, memory=MEMORY)
    assert failed.value.kind == "ValueError" and failed.value.message == "invalid literal for int() with base 10: 'not a number'"
    assert run_bounded(os.getpid, seconds=4, memory=MEMORY) == used


def test_a_child_that_dies_is_replaced():
    used = run_bounded(os.getpid, seconds=4, memory=MEMORY)
    with pytest.raises(ChildFailed, match="the rendering process stopped unexpectedly"):
        run_bounded(os._exit, 9, seconds=60, memory=MEMORY)
    fresh = run_bounded(os.getpid, seconds=4, memory=MEMORY)
    assert fresh != used
