r"""Dielectric local-field factors of spheroidal nanocrystals (rods, platelets).

The field inside a small dielectric spheroid is uniform; along each principal axis it is
the applied field times :math:`f_i = \varepsilon_m/(\varepsilon_m + N_i(\varepsilon -
\varepsilon_m))` with the depolarisation factors :math:`N_i` of the spheroid.  Used by
:mod:`qdlab.electronic.anisotropy.polarisation` (and importable from there).

References
----------
.. [1] J. A. Osborn, "Demagnetizing factors of the general ellipsoid",
   Phys. Rev. 67, 351 (1945).
"""

from __future__ import annotations

import math

from qdlab.errors import check_positive

__all__ = ["depolarisation_factors", "local_field_factors"]


def depolarisation_factors(aspect_ratio) -> tuple[float, float]:
    r"""Depolarisation factors (N_parallel, N_perpendicular) of a spheroid.

    Parameters
    ----------
    aspect_ratio : float
        Polar over equatorial semi-axis (> 0): > 1 prolate (rod), < 1 oblate
        (platelet), 1 sphere.

    Returns
    -------
    (float, float)
        Factor along the symmetry axis and perpendicular to it; N_par + 2 N_perp = 1.

    See Also
    --------
    local_field_factors

    Notes
    -----
    Prolate, :math:`e^2 = 1 - 1/AR^2`:
    :math:`N_\parallel = \frac{1-e^2}{e^2}\left(\frac{1}{2e}\ln\frac{1+e}{1-e} - 1\right)`;
    oblate, :math:`e^2 = 1 - AR^2`:
    :math:`N_\parallel = \frac{1}{e^2}\left(1 - \frac{\sqrt{1-e^2}}{e}\arcsin e\right)`
    (Osborn 1945).

    References
    ----------
    .. [1] J. A. Osborn, Phys. Rev. 67, 351 (1945). Bibliography ``osborn1945``.

    Examples
    --------
    >>> [round(v, 4) for v in depolarisation_factors(5.0)]
    [0.0558, 0.4721]
    >>> [round(v, 4) for v in depolarisation_factors(0.1)]
    [0.8608, 0.0696]
    """
    ar = float(check_positive(aspect_ratio, "aspect_ratio"))
    if abs(ar - 1.0) < 1e-6:
        return 1.0 / 3.0, 1.0 / 3.0
    if ar > 1.0:
        e = math.sqrt(1.0 - 1.0 / ar ** 2)
        nz = (1.0 - e * e) / (e * e) * (math.atanh(e) / e - 1.0)
    else:
        e = math.sqrt(1.0 - ar * ar)
        nz = (1.0 - math.sqrt(1.0 - e * e) / e * math.asin(e)) / (e * e)
    return nz, (1.0 - nz) / 2.0


def local_field_factors(aspect_ratio, eps_particle, eps_medium) -> tuple[float, float]:
    r"""Internal-field factors (f_parallel, f_perpendicular) of a spheroid in a medium.

    Parameters
    ----------
    aspect_ratio : float
        Polar / equatorial semi-axis.
    eps_particle, eps_medium : float
        Relative permittivities (optical frequency).

    Returns
    -------
    (float, float)
        :math:`f_i = \varepsilon_m/(\varepsilon_m + N_i(\varepsilon - \varepsilon_m))`.

    See Also
    --------
    depolarisation_factors, qdlab.optics.transitions.local_field_factor : the sphere.

    References
    ----------
    .. [1] J. A. Osborn, Phys. Rev. 67, 351 (1945). Bibliography ``osborn1945``.
    .. [2] J. Hu, L. Li, W. Yang, L. Manna, L. Wang, A. P. Alivisatos, Science 292, 2060
       (2001). Bibliography ``hu2001``.

    Examples
    --------
    >>> [round(v, 4) for v in local_field_factors(1.0, 6.2, 2.25)]
    [0.6308, 0.6308]
    """
    check_positive(eps_particle, "eps_particle")
    check_positive(eps_medium, "eps_medium")
    nz, nx = depolarisation_factors(aspect_ratio)
    em, ep = float(eps_medium), float(eps_particle)
    return em / (em + nz * (ep - em)), em / (em + nx * (ep - em))


