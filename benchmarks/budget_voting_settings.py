"""Settings for benchmarks/budget_voting.py: the web benchmark's settings (production posture, the
bare baseline view) with the ballot rate limit raised.

The product allows each voter 30 ballots cast or changed in 10 minutes, and each address 1,000.
Every simulated voter here comes from 127.0.0.1, so the limit stays on (its cache counters are
still written on every cast, as in production) with the address limit set high enough never to
refuse a ballot.
"""

from web_settings import *  # noqa: F403

ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS, "budget_ballot_cast": "10000000/10m/ip,30/10m/key"}  # noqa: F405
