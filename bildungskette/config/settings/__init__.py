"""Settings, split by concern. Each module reads its part of the environment.

BILDUNGSKETTE_ENV selects the profile: ``production`` (the default, safe), ``development``
(``make run``) or ``test`` (the test suite). Values can also come from a ``.env`` file in the
working directory or the project root (``make run`` writes one for development).
"""

from .base import *  # noqa: F401,F403
from .caches import *  # noqa: F401,F403
from .database import *  # noqa: F401,F403
from .environment import ENVIRONMENT  # noqa: F401  (read first: loads .env)
from .logging import *  # noqa: F401,F403
from .security import *  # noqa: F401,F403
from .tasks import *  # noqa: F401,F403

if ENVIRONMENT == "test":
    # Fast hashing in tests.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: F405
    import os as _os
    import tempfile as _tempfile
    from pathlib import Path as _Path

    # One folder per process, unless several processes must share it (bench: request and worker).
    MEDIA_ROOT = (_os.environ.get("BILDUNGSKETTE_TEST_MEDIA_ROOT")
                  or _tempfile.mkdtemp(prefix="bildungskette-test-media-"))
    ERASURE_LEDGER_PATH = _Path(_tempfile.mkdtemp(prefix="bildungskette-test-ledger-")) / "ledger.txt"
    STATIC_ROOT = None  # nothing is collected in tests; static files come from the finders
