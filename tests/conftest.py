"""Shared test set-up."""

import numpy as np
import pytest


@pytest.fixture(autouse=True)
def _numpy_print_defaults():
    """Keep numpy's default print options (some libraries change them on import)."""
    np.set_printoptions(legacy=False)
    yield
