r"""Biexciton and trion binding energies of any shape (3D grid, uniform dielectric).

The first-order binding energies of :mod:`qdlab.electronic.multiexcitons`,

.. math::

    \Delta_{XX} = 2J_{eh} - J_{ee} - J_{hh},\quad \Delta_{X^+} = J_{eh} - J_{hh},\quad
    \Delta_{X^-} = J_{eh} - J_{ee},

for rods, cubes, tetrapods, dot-in-rods and dimers from the lowest grid states of
:func:`qdlab.electronic.grid.solve_shape`, with the direct Coulomb integrals
:math:`J_{ab} = \frac{e^2}{4\pi\varepsilon_0\varepsilon}\iint
|\psi_a(\mathbf r)|^2|\psi_b(\mathbf r')|^2/|\mathbf r-\mathbf r'|` of
:func:`qdlab.electronic.grid.pair.coulomb_energy_eV` in the particle's own permittivity
(``dielectric="uniform"``).  The image (dielectric-mismatch) parts of :math:`J_{ee}` and
:math:`J_{hh}` are not available on the grid, so ``dielectric="mismatch"`` is refused for
shapes; spheres and core/shells use the radial solver with the image terms.  Radiative
and Auger rates of shapes are not computed (the k.p band edge is for spheres): use
:func:`qdlab.electronic.multiexcitons.multiexciton_properties` for spheres.

References
----------
.. [1] L. E. Brus, J. Chem. Phys. 80, 4403 (1984).
.. [2] F. Rajadell, J. I. Climente, J. Planelles, A. Bertoni, J. Phys. Chem. C 113,
   11268 (2009) (excitons, biexcitons and trions of CdSe rods).
"""

from __future__ import annotations

from qdlab.electronic.multiexcitons.energies import binding_energies_eV, coulomb_integrals
from qdlab.errors import QdlabInputError

__all__ = ["multiexciton_energies"]


def _result(label, solver, e_x, jeh, jee, jhh, overlap, dielectric) -> dict:
    b = binding_energies_eV(jeh, jee, jhh)
    return {"structure": label, "solver": solver, "dielectric": dielectric,
            "exciton_energy_eV": e_x,
            "biexciton_binding_meV": 1e3 * b["biexciton"],
            "positive_trion_binding_meV": 1e3 * b["positive_trion"],
            "negative_trion_binding_meV": 1e3 * b["negative_trion"],
            "biexciton_emission_eV": e_x - b["biexciton"],
            "positive_trion_emission_eV": e_x - b["positive_trion"],
            "negative_trion_emission_eV": e_x - b["negative_trion"],
            "J_eh_meV": 1e3 * jeh, "J_ee_meV": 1e3 * jee, "J_hh_meV": 1e3 * jhh,
            "overlap": overlap}


def multiexciton_energies(structure, *, solver: str = "auto", resolution_nm: float | None = None,
                          dielectric: str | None = None, **options) -> dict:
    r"""First-order XX, X+ and X- binding energies of any structure, meV.

    Parameters
    ----------
    structure
        Sphere, CoreShell or a grid shape of :mod:`qdlab.structures.shapes`
        (not a Platelet: its thickness-quantisation model has no 3D states).
    solver : {"auto", "radial", "grid"}
        ``"auto"``: the radial solver for spheres and core/shells, the grid otherwise.
    resolution_nm : float, optional
        Grid spacing, nm (grid only).
    dielectric : {"mismatch", "uniform"}, optional
        Radial: default ``"mismatch"`` (image terms); grid: only ``"uniform"``.
    **options
        ``screening``, ``nonparabolic``, ``coulomb`` (and ``interface_width_nm`` for the
        radial solver).

    Returns
    -------
    dict
        ``structure``, ``solver``, ``dielectric``, ``exciton_energy_eV``, the three
        binding energies (meV, > 0 bound), emission lines (eV), ``J_eh_meV``,
        ``J_ee_meV``, ``J_hh_meV``, ``overlap``.

    Notes
    -----
    :math:`\Delta_{XX} = 2J_{eh}-J_{ee}-J_{hh}`, :math:`\Delta_{X^\pm} = J_{eh}-J_{hh,ee}`
    (module notes of :mod:`qdlab.electronic.multiexcitons`).

    References
    ----------
    L. E. Brus, J. Chem. Phys. 80, 4403 (1984); F. Rajadell et al., J. Phys. Chem. C
    113, 11268 (2009).

    Examples
    --------
    >>> from qdlab.structures import Sphere
    >>> d = multiexciton_energies(Sphere("CdSe", 4.0))
    >>> d["solver"], round(d["biexciton_binding_meV"], 1)
    ('radial', -4.6)
    """
    from qdlab.structures import SphericalStructure

    if solver not in ("auto", "radial", "grid"):
        raise QdlabInputError(f"solver must be 'auto', 'radial' or 'grid', got {solver!r}")
    spherical = isinstance(structure, SphericalStructure)
    if spherical and solver != "grid":
        if resolution_nm is not None:
            raise QdlabInputError(f"resolution_nm does not apply to the radial solver, got "
                                  f"resolution_nm={resolution_nm!r}")
        from qdlab.electronic.sphere.exciton import solve_sphere

        extra = {} if dielectric is None else {"dielectric": dielectric}
        st = solve_sphere(structure, l_max=0, n_states=1, **options, **extra)
        c = coulomb_integrals(st)
        return _result(structure.label, "radial", float(st.first_exciton_eV), c.J_eh_eV,
                       c.J_ee_eV, c.J_hh_eV, c.overlap, st.dielectric)
    if solver == "radial":
        raise QdlabInputError(f"solver 'radial' needs a Sphere or CoreShell, got "
                              f"{type(structure).__name__}")
    from qdlab.structures.shapes import Platelet

    if isinstance(structure, Platelet):
        raise QdlabInputError("multiexciton energies of platelets are not available: the "
                              "platelet model (thickness quantisation + Rytova-Keldysh "
                              "exciton) has no 3D electron and hole states")
    if dielectric not in (None, "uniform"):
        raise QdlabInputError(f"dielectric {dielectric!r} does not apply to multiexcitons on "
                              "the 3D grid: the image parts of J_ee and J_hh are not "
                              "available there (use 'uniform', or the radial solver for "
                              "spheres and core/shells)")
    if "interface_width_nm" in options:
        raise QdlabInputError("interface_width_nm does not apply to the uniform dielectric "
                              "of the grid multiexcitons")
    from qdlab.electronic.grid.pair import coulomb_energy_eV
    from qdlab.electronic.grid.shape_states import solve_shape

    st = solve_shape(structure, n_states=1, resolution_nm=resolution_nm, dielectric="uniform",
                     **options)
    e, h = st.electrons, st.holes
    if st.coulomb:
        eps = st.dielectric_constant
        jeh, jee, jhh = (coulomb_energy_eV(a, b, eps) for a, b in ((e, h), (e, e), (h, h)))
    else:
        jeh = jee = jhh = 0.0
    label = getattr(structure, "label", type(structure).__name__)
    return _result(label, "grid", float(st.first_exciton_eV), jeh, jee, jhh, st.overlap,
                   "uniform")
