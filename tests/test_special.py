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


def test_ufuncs_without_scipy_special_init_are_scipys():
    """Loaded before ``import scipy.special`` (the start-up path), the functions give the same
    values, bit for bit, and a later ``import scipy.special`` works and shares the ufuncs."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    import qdlab

    code = """
import json, sys
import numpy as np
from qdlab import _special as q
x = np.linspace(0.0, 12.0, 25)
fast = [q.spherical_jn(2, x).tolist(), q.spherical_yn(1, x[1:], True).tolist(),
        q.ive(1.5, x).tolist(), q.kve(2.5, x[1:]).tolist(), float(q.spherical_jn(0, 2.5))]
assert "scipy.special" not in sys.modules
import scipy.special as sp
ref = [sp.spherical_jn(2, x).tolist(), sp.spherical_yn(1, x[1:], True).tolist(),
       sp.ive(1.5, x).tolist(), sp.kve(2.5, x[1:]).tolist(), float(sp.spherical_jn(0, 2.5))]
print(json.dumps([fast == ref, q._ufuncs is sp._ufuncs, q.ive is sp.ive,
                  float(sp.gamma(5.0))]))
"""
    src = str(Path(qdlab.__file__).resolve().parents[1])
    env = dict(os.environ, PYTHONPATH=src + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, timeout=300, check=True).stdout
    assert json.loads(out.strip().splitlines()[-1]) == [True, True, True, 24.0]


def test_dunder_lookups_do_not_reach_scipy():
    with pytest.raises(AttributeError):
        q.__path__  # noqa: B018  (would make the module look like a package)


def test_li2_series_uses_exact_bernoulli_numbers():
    from fractions import Fraction as F

    from qdlab.electronic.sphere import self_polarisation as sptn

    known = [F(1), F(-1, 2), F(1, 6), 0, F(-1, 30), 0, F(1, 42), 0, F(-1, 30), 0, F(5, 66),
             0, F(-691, 2730), 0, F(7, 6), 0, F(-3617, 510)]
    assert sptn._bernoulli_numbers(16) == known
    y = np.linspace(0.0, 0.999, 200)
    # Li2(y) = spence(1 - y); both within a few ulp (Li2 <= pi^2/6 here: ulp 2.2e-16)
    np.testing.assert_allclose(sptn._li2(y), sp.spence(1.0 - y), rtol=0, atol=4e-15)
