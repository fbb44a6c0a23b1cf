"""A per-address request budget for the unauthenticated endpoints (open data).

A sliding window in this process: each address may make `per_minute` requests in any 60 s;
the next one is refused with RateLimited (429, Retry-After). With several worker processes
each keeps its own window, so the limit an address meets is at most workers × per_minute: a
guard against a scraper looping, not an accounting of use.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

from fastapi import Request

from offset.errors import RateLimited

WINDOW = 60.0
# Addresses remembered at most; beyond it the idlest are forgotten (a flood of addresses
# cannot grow the process without bound).
MAX_ADDRESSES = 10_000


class RateLimit:
    """A FastAPI dependency: refuse a request beyond the address's budget."""

    def __init__(self, per_minute: Callable[[], int],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._per_minute, self._clock = per_minute, clock
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def __call__(self, request: Request) -> None:
        address = request.client.host if request.client else "unknown"
        self.take(address)

    def take(self, address: str) -> None:
        """Count one request of `address`; raise RateLimited when it is over budget."""
        now, budget = self._clock(), self._per_minute()
        with self._lock:
            times = self._seen.pop(address, None) or deque()
            while times and times[0] <= now - WINDOW:
                times.popleft()
            self._seen[address] = times  # most recently used last
            if len(times) >= budget:
                raise RateLimited(max(1, math.ceil(times[0] + WINDOW - now)))
            times.append(now)
            while len(self._seen) > MAX_ADDRESSES:
                del self._seen[next(iter(self._seen))]
