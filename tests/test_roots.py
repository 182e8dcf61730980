"""qdlab._roots.brentq: the same roots as scipy.optimize.brentq, bit for bit, and its errors."""
import math

import numpy as np
import pytest
from scipy import optimize

from qdlab._roots import brentq
from qdlab._special import spherical_jn
from qdlab.electronic.sphere.holes import _phi_equation

CASES = [
    (math.sin, 3.0, 4.0, ()),
    (math.cos, 0.0, 3.0, ()),
    (lambda x, c: x**3 - c, 0.0, 5.0, (7.0,)),
    (lambda x: math.exp(x) - 10.0, -1.0, 10.0, ()),
    (lambda x: x - 1.0, 0.0, 1.0, ()),                      # root at the bracket end
    (lambda x: (x - 0.3) ** 3, 0.0, 1.0, ()),               # a flat (triple) root
    (lambda x: math.atan(x - 2.0), -50.0, 1e3, ()),         # far-off bracket, bisection steps
    (lambda x: float(spherical_jn(2, x)), 5.0, 6.5, ()),    # a Bessel zero (analytic wells)
    (_phi_equation, 3.0, 5.8, (0.27,)),                     # the 1S3/2 hole equation
]


@pytest.mark.parametrize("f, a, b, args", CASES)
@pytest.mark.parametrize("tol", [{}, {"xtol": 1e-14}, {"xtol": 1e-15, "rtol": 1e-15},
                                 {"xtol": 1e-3}])
def test_same_root_as_scipy(f, a, b, args, tol):
    try:
        ref = optimize.brentq(f, a, b, args=args, **tol)
    except RuntimeError:     # (the triple root at the tightest tolerances: no convergence)
        with pytest.raises(RuntimeError, match="convergence"):
            brentq(f, a, b, args=args, **tol)
        return
    ours = brentq(f, a, b, args=args, **tol)
    assert ours == ref
    assert type(ours) is float


def test_sign_error():
    with pytest.raises(ValueError, match="different signs"):
        brentq(math.cos, 0.0, 1.0)


def test_nan_is_an_error():
    with pytest.raises(ValueError, match="NaN"):
        brentq(lambda x: math.nan if x > 0.5 else x - 0.7, 0.0, 1.0)


def test_no_convergence_and_bad_tolerances():
    with pytest.raises(RuntimeError, match="convergence"):
        brentq(lambda x: math.atan(x - 2.0), -50.0, 1e3, maxiter=3)
    with pytest.raises(ValueError, match="xtol"):
        brentq(math.sin, 3.0, 4.0, xtol=0.0)
    with pytest.raises(ValueError, match="rtol"):
        brentq(math.sin, 3.0, 4.0, rtol=1e-17)


def test_vectorised_callers_unchanged():
    from qdlab.electronic.analytic import spherical_bessel_zeros

    z = np.asarray(spherical_bessel_zeros(1, 3))
    np.testing.assert_allclose(np.sin(z) / z**2 - np.cos(z) / z, 0.0, atol=1e-14)
