"""Settings for benchmarks/conversation_votes.py: the web benchmark's settings (production posture)
with the vote rate limit raised.

The product allows each participant 300 votes in 10 minutes and each address 3,000; every
simulated participant here comes from 127.0.0.1, so the address limit is raised high enough never
to refuse a vote. The limiter still runs and writes its counters to the cache on every vote.
"""

from web_settings import *  # noqa: F403

ACCOUNT_RATE_LIMITS = {
    **ACCOUNT_RATE_LIMITS,  # noqa: F405
    "conversation_vote": "10000000/10m/ip,300/10m/key",
}
