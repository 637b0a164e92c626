"""Overrides for the test suite only: fast hashing, immediate tasks, in-memory cache and mail,
a sealed-files folder of its own, static files looked up when asked for."""

import tempfile

from coproduce.config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A DATABASE_REPLICA_URL left in the environment must not send tests' reads elsewhere (0922); the
# router's own tests configure the replica themselves.
DATABASES.pop("replica", None)  # noqa: F405
DATABASE_ROUTERS = []
# WhiteNoise looks a static file up when it is asked for, instead of reading every file the finders
# know each time a test client loads the middleware (two thirds of a request's time in the view
# matrix; decision 0118).
WHITENOISE_AUTOREFRESH = True

# Bids' attachments go to a folder of this test run's own, never the real sealed folder. (The
# model reads the storage once, when it loads: an override in a test would not reach it.)
STORAGES = {
    **STORAGES,  # noqa: F405
    "sealed": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tempfile.mkdtemp(prefix="coproduce-sealed-")},
    },
}
