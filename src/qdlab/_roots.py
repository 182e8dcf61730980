"""Brent's bracketing root finder in plain Python (no scipy.optimize import).

``import scipy.optimize`` costs ~0.4 s of start-up (it imports linear programming, sparse
linear algebra, FFTs ...), more than the whole ``qdlab levels`` computation; the solvers of
spheres need only a scalar bracketing root finder.  :func:`brentq` takes the same steps,
in the same floating-point operations and order, as ``scipy.optimize.brentq`` (Charles
Harris's C implementation in scipy), so that it returns the same root, bit for bit, for
the same function, bracket and tolerances.

References
----------
.. [1] R. P. Brent, *Algorithms for Minimization without Derivatives*, Prentice-Hall
   (1973), ch. 4.
.. [2] scipy.optimize.brentq, https://docs.scipy.org/doc/scipy/reference/generated/
   scipy.optimize.brentq.html (the variant reproduced here: inverse quadratic
   extrapolation, secant or bisection steps).
"""

from __future__ import annotations

import math

__all__ = ["brentq"]

#: Default tolerances of scipy.optimize.brentq: absolute and relative (4 machine epsilons).
XTOL = 2e-12
RTOL = 4 * 2.220446049250313e-16


def brentq(f, a: float, b: float, args: tuple = (), xtol: float = XTOL, rtol: float = RTOL,
           maxiter: int = 100) -> float:
    """A root of ``f`` in the bracket [a, b] (f(a) and f(b) of opposite signs).

    Parameters
    ----------
    f : callable
        ``f(x, *args)`` -> float, continuous on [a, b].
    a, b : float
        The bracket (same unit as the root).
    args : tuple
        Extra arguments of ``f``.
    xtol, rtol : float
        Stop when the bracket is narrower than ``xtol + rtol * |x|`` (same unit as x;
        ``rtol`` dimensionless, >= 4 machine epsilons).
    maxiter : int
        Most iterations.

    Returns
    -------
    float
        The root, to ``xtol + rtol * |root|``.

    Raises
    ------
    ValueError
        If f(a) and f(b) have the same sign, ``f`` returns NaN or a tolerance is too small.
    RuntimeError
        If the root is not found in ``maxiter`` iterations.

    Notes
    -----
    Each step keeps a bracket [x, x_blk] with |f(x)| <= |f(x_blk)| and tries, in order,
    inverse quadratic extrapolation through the last three points (or the secant through
    the last two when the bracket has just flipped); the step s is taken when
    ``2 |s| < min(|s_prev|, 3 |x_blk - x| / 2 - delta)``, with ``delta = (xtol + rtol
    |x|) / 2``, and a bisection step otherwise [1]_.  Steps shorter than ``delta`` are
    lengthened to ``delta``.  Convergence is superlinear for smooth ``f``, and never
    slower than bisection.

    Examples
    --------
    >>> import math
    >>> round(brentq(math.sin, 3.0, 4.0), 12)
    3.14159265359
    >>> abs(brentq(lambda x, c: x * x - c, 0.0, 2.0, args=(2.0,)) - 2.0 ** 0.5) < 2e-12
    True
    """
    if not xtol > 0:
        raise ValueError(f"xtol must be > 0, got {xtol}")
    if not rtol >= RTOL:
        raise ValueError(f"rtol must be >= {RTOL}, got {rtol}")

    def fx(x):
        y = float(f(x, *args))
        if math.isnan(y):
            raise ValueError(f"the function value is NaN at x = {x!r}")
        return y

    xpre, xcur = float(a), float(b)
    xblk = fblk = spre = scur = 0.0
    fpre, fcur = fx(xpre), fx(xcur)
    if fpre * fcur > 0:
        raise ValueError("f(a) and f(b) must have different signs")
    if fpre == 0:
        return xpre
    if fcur == 0:
        return xcur
    for _ in range(maxiter):
        if fpre * fcur < 0:                 # a new bracket [xpre, xcur]
            xblk, fblk = xpre, fpre
            spre = scur = xcur - xpre
        if abs(fblk) < abs(fcur):           # keep the better point in xcur
            xpre, xcur, xblk = xcur, xblk, xcur
            fpre, fcur, fblk = fcur, fblk, fcur
        delta = (xtol + rtol * abs(xcur)) / 2
        sbis = (xblk - xcur) / 2
        if fcur == 0 or abs(sbis) < delta:
            return xcur
        if abs(spre) > delta and abs(fcur) < abs(fpre):
            if xpre == xblk:                # secant (linear interpolation)
                stry = -fcur * (xcur - xpre) / (fcur - fpre)
            else:                           # inverse quadratic extrapolation
                dpre = (fpre - fcur) / (xpre - xcur)
                dblk = (fblk - fcur) / (xblk - xcur)
                stry = -fcur * (fblk * dblk - fpre * dpre) / (dblk * dpre * (fblk - fpre))
            if 2 * abs(stry) < min(abs(spre), 3 * abs(sbis) - delta):
                spre, scur = scur, stry     # a good short step
            else:
                spre = scur = sbis          # bisection
        else:
            spre = scur = sbis              # bisection
        xpre, fpre = xcur, fcur
        xcur += scur if abs(scur) > delta else (delta if sbis > 0 else -delta)
        fcur = fx(xcur)
    raise RuntimeError(f"brentq: no convergence in {maxiter} iterations (last x = {xcur!r})")
