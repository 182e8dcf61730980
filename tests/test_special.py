"""qdlab._special: the fast spherical Bessel functions equal scipy.special's, bit for bit."""
import numpy as np
import pytest
import scipy.special as sp

from qdlab import _special as q

ARGS = [0.0, 1e-8, 0.3, 2.5, 40.0, 3, np.float64(2.2), np.array([0.0, 0.1, 3.0, 7.0]),
        np.random.default_rng(0).uniform(0, 30, (3, 4)), np.array([-1.0, 2.0, 3.0]),
        np.array([1 + 1j, 2.0])]


@pytest.mark.parametrize("name", ["spherical_jn", "spherical_yn"])
@pytest.mark.parametrize("n", [0, 1, 2, 5, np.array([0, 1, 2])])
@pytest.mark.parametrize("derivative", [False, True])
def test_equal_to_scipy(name, n, derivative):
    fast, ref = getattr(q, name), getattr(sp, name)
    for z in ARGS:
        if np.ndim(n) and np.ndim(z) and np.shape(z)[-1] != np.shape(n)[-1]:
            continue
        a, b = fast(n, z, derivative), ref(n, z, derivative)
        assert type(a) is type(b) and np.shape(a) == np.shape(b)
        np.testing.assert_array_equal(a, b)


def test_other_names_are_scipys():
    assert q.ive is sp.ive and q.kve is sp.kve
