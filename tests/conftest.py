"""Settings for the whole suite, loaded before any test module."""

from hypothesis import settings

# The same Hypothesis examples on every run: a red CI run is reproducible and a green one is not
# luck. Exploring without end is the atheris target's job (`make fuzz`).
settings.register_profile("deterministic", derandomize=True)
settings.load_profile("deterministic")
