"""Hypothesis profiles for the property tests: "ci", the default, deterministic (derandomize, no
example database, no deadline); "long", at random, for a campaign, chosen by FTDATA_FUZZ_EXAMPLES=N
or FTDATA_FUZZ=long (tests/test_hostile_props.py then runs N examples per property)."""
from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
          HealthCheck.large_base_example]
settings.register_profile("ci", max_examples=10, deadline=None, derandomize=True, database=None,
                          suppress_health_check=_QUIET, print_blob=True)
settings.register_profile("long", max_examples=5000, deadline=None, derandomize=False, database=None,
                          suppress_health_check=_QUIET, print_blob=True)
settings.load_profile("long" if os.environ.get("FTDATA_FUZZ_EXAMPLES", "").strip()
                      or os.environ.get("FTDATA_FUZZ", "").strip().lower() == "long" else "ci")
