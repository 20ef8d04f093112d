"""Shared test settings: hypothesis profiles, and the Agg backend for plots."""

import matplotlib
from hypothesis import HealthCheck, settings

matplotlib.use("Agg")

# Deterministic example generation: a CI run repeats exactly what passed locally.
settings.register_profile(
    "nnbook",
    derandomize=True,
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("nnbook")
