"""Rate limits for the busy paths (votes, ballots): counters in fixed windows, one cache round
trip per rate.

allauth's limiter (``allauth.core.ratelimit``), used for signing in, keeps the time of every hit
in a list under a cache lock: four round trips per rate, and the whole list read and written on
each hit, which grows with the limit (3,000 votes from one library's address is a 3,000-item
list). Here each rate is one integer per window, incremented atomically (Redis ``INCR``). The
limits are written in ``settings.ACCOUNT_RATE_LIMITS`` with allauth's syntax (``"300/10m/key,
3000/10m/ip"``), so every limit of the site stays in one place. A fixed window lets through up to
twice the limit across a window's edge: acceptable for limits meant to stop floods, not to count
exactly. See docs/decisions/0032-fixed-window-rate-limits.md.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from functools import lru_cache

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    amount: int
    seconds: int
    per: str  # "ip" or "key"


@lru_cache(maxsize=64)
def parse_rates(text: str) -> tuple[Rate, ...]:
    """``"30/10m/key,1000/10m/ip"`` as rates; "10m" is ten minutes, "h" one hour."""
    rates = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        amount, duration, *per = part.split("/")
        unit = duration[-1]
        count = int(duration[:-1] or 1)
        if unit not in UNITS or per not in ([], ["ip"], ["key"]):
            raise ValueError(f"Not a rate limit: {part!r}")
        rates.append(Rate(int(amount), count * UNITS[unit], per[0] if per else "ip"))
    return tuple(rates)


def _hit(name: str, seconds: int) -> int:
    """Count one hit on the counter ``name``; its count after the hit."""
    try:
        return int(cache.incr(name))
    except ValueError:  # the window's first hit (or the counter expired just now)
        if cache.add(name, 1, seconds + 1):
            return 1
        return int(cache.incr(name))


def consume(request: HttpRequest, *, action: str, key: str) -> bool:
    """Count a hit of ``action`` by ``key`` (a participant, a voter) and by the request's
    address; False when a limit is already reached (the hit is then refused). No limit is set
    for an action missing from ``settings.ACCOUNT_RATE_LIMITS``."""
    rates = parse_rates(settings.ACCOUNT_RATE_LIMITS.get(action, ""))
    now = int(time.time())
    allowed = True
    for rate in rates:
        source = get_adapter().get_client_ip(request) if rate.per == "ip" else key
        digest = hashlib.sha256(source.encode()).hexdigest()[:32]
        window = now // rate.seconds
        name = f"rl:{action}:{rate.amount}/{rate.seconds}/{rate.per}:{digest}:{window}"
        if _hit(name, rate.seconds - now % rate.seconds) > rate.amount:
            allowed = False
    return allowed
