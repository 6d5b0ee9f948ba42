"""Hypothesis profiles, and a recorded crawl shared by the WARC tests.

``default`` explores new random examples each run, which is how the property tests keep
finding edge cases on developers' machines. ``ci`` (``HYPOTHESIS_PROFILE=ci``, set by
``.ci/run``) derandomizes them so a landing is decided by the code, not by the draw.
"""

import os

import pytest
from hypothesis import settings

from tests.crawling import crawlall

# ``redis_server``: a real redis-server per test (tests/redisserver.py); ``state_settings``
# and ``state``: a crawl state in each backend (tests/states.py).
pytest_plugins = ["tests.redisserver", "tests.states"]

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def recorded(tmp_path_factory):
    """A replayed crawl of all five portals with RECORD on: (its WARC folder, its result)."""
    workdir = tmp_path_factory.mktemp("recorded")
    return workdir / "warc", crawlall(workdir, "-s", f"RECORD={workdir / 'warc'}")
