"""Settings for benchmarks/web.py: the project's own settings, with the benchmark's URLconf.

Everything else (production posture, database, middleware, templates) comes from the environment
exactly as in production; only the URLconf changes, to add the bare baseline view.
"""

from coproduce.config.settings import *  # noqa: F403

ROOT_URLCONF = "web_urls"
