"""Hypothesis profiles.

``default`` explores new random examples each run, which is how the property tests keep
finding edge cases on developers' machines. ``ci`` (``HYPOTHESIS_PROFILE=ci``, set by
``.ci/run``) derandomizes them so a landing is decided by the code, not by the draw.
"""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
