"""Doctest set-up: numpy's default print options for every doctest."""

import numpy as np
import pytest


@pytest.fixture(autouse=True)
def _numpy_print_defaults():
    np.set_printoptions(legacy=False)
    yield
