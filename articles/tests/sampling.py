"""Fast versions of exhaustive checks: `make test` runs a sample of the values, `make test-full` all."""

import pytest


def every_nth(values, n: int) -> list:
    """The 1st, (n+1)th, (2n+1)th ... values run in `make test`; the rest are marked slow."""
    return [v if i % n == 0 else pytest.param(v, marks=pytest.mark.slow) for i, v in enumerate(values)]
