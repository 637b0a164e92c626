"""Settings for benchmarks/budget_voting.py: the web benchmark's settings (production posture, the
bare baseline view) with the ballot rate limit raised.

The product allows each voter 30 ballots cast or changed in 10 minutes, and each address 1,000.
Every simulated voter here comes from 127.0.0.1 and the latency run has each voter cast as fast as
the server answers, so both limits are raised high enough never to refuse a ballot (a refused
ballot would be measured as a fast failure, not a cast). The limiter still runs and still writes
its counters to the cache on every cast, as in production.
"""

from web_settings import *  # noqa: F403

ACCOUNT_RATE_LIMITS = {
    **ACCOUNT_RATE_LIMITS,  # noqa: F405
    "budget_ballot_cast": "10000000/10m/ip,10000000/10m/key",
}
