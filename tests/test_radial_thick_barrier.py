"""Issue 10: CdSe/CdS/ZnS with 20 nm shells (``qdlab levels CdSe/CdS/ZnS --core-diameter 3
--shell 20 --shell 20``) is refused with "rho_e must be normalised ... got 0.875".

Not fixed (known solver miss, see the report): the cause is not the exciton's
radial quadrature.  The 20 nm ZnS barrier makes the outward shooting lose the
decaying solution (kappa d ~ 43 for the electron, e^43 ~ 1e18): the returned
l = 0 "ground states" of both carriers sit 82-83 % inside the ZnS barrier at its
outer surface (a round-off artefact; the true ground states fill the 20 nm CdS
shell).  A finer Coulomb grid does not converge the norm (-0.12 at 201 points,
+0.066 at 401, 9e-4 at 1601, -5e-4 at 3201), nor does a composite layer
quadrature.  The fix is inward shooting (or a scaled two-sided match) through
thick barrier layers in :mod:`qdlab.electronic.sphere.shooting`.
"""

from __future__ import annotations

import numpy as np
import pytest

from qdlab.electronic import first_exciton_batch


@pytest.mark.xfail(strict=False, reason="outward shooting through a 20 nm ZnS barrier "
                   "loses the decaying solution (spurious surface state)")
def test_thick_shell_states_live_in_the_cds_shell_and_are_normalised():
    out = first_exciton_batch(["CdSe", "CdS", "ZnS"], np.array([[1.5, 21.5, 41.5]]),
                              coulomb=False, _return_wavefunctions=True)
    r = out["r_nm"][0]
    w = np.gradient(r) * r**2
    for key in ("electron_wavefunction", "hole_wavefunction"):
        psi = out[key][0]
        in_shell = np.sum(np.where((r > 1.5) & (r < 21.5), psi**2, 0.0) * w)
        assert in_shell > 0.9, key
    e = first_exciton_batch(["CdSe", "CdS", "ZnS"], np.array([[1.5, 21.5, 41.5]]))
    assert np.isfinite(e["first_exciton_eV"][0])
