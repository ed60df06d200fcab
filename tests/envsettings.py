"""Read `kpu_site/settings/base.py` as it would be read under a given environment.

Tests of the Redis and S3 paths take CACHES, SESSION_ENGINE and STORAGES from here, so they run
the configuration base.py really builds from REDIS_URL and S3_*, not a copy of it.
"""

from __future__ import annotations

import importlib.util
import os
from types import ModuleType
from unittest import mock

from tests.servers import REPO

CLEARED = ("REDIS_URL", "REDIS_SOCKET_TIMEOUT", "S3_", "DATABASE_URL")


def base_settings(env: dict[str, str]) -> ModuleType:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(CLEARED)}
    with mock.patch.dict(os.environ, {**clean, **env}, clear=True):
        spec = importlib.util.spec_from_file_location("kpu_base_probe", REPO / "kpu_site/settings/base.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return module
