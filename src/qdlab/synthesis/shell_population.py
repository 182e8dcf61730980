r"""A population of core/shell particles, its cores and its band edge.

:class:`ShellPopulation` is what both shell-growth routes of
:mod:`qdlab.synthesis.shells` return: one entry per size class with the core diameter,
the shell thickness and the number of particles.  :func:`cores_from_trajectory` takes
the cores from a finished core synthesis; :func:`band_edge_vs_shell` and
:meth:`ShellPopulation.first_exciton` give the band-edge transition of the core/shells.

Notes
-----
*Class merging.*  Neighbouring size classes (by radius) are grouped into at most
``max_classes`` groups of equal number; each group keeps its number and volume,

.. math::

    N_g = \sum_{i\in g} N_i, \qquad r_g = \Big(\frac{\sum_{i\in g} N_i r_i^3}{N_g}\Big)^{1/3}.

*Band edge.*  The first exciton of each class is the exact radial effective-mass
solution with the Coulomb and image terms
(:func:`qdlab.electronic.first_exciton_batch`); the ensemble value is the
number-weighted mean transition energy, :math:`\bar E = \sum_i N_i E_i / \sum_i N_i`,
expressed as :math:`hc/\bar E`.  For CdSe/CdS the small conduction-band offset lets
the electron spread into the shell, so the band edge red-shifts as the shell grows.

References
----------
.. [1] D. V. Talapin, A. L. Rogach, M. Haase, H. Weller, J. Phys. Chem. B 105,
   12278 (2001).
.. [2] J. J. Li et al., J. Am. Chem. Soc. 125, 12567 (2003).
.. [3] B. O. Dabbousi et al., "(CdSe)ZnS core-shell quantum dots", J. Phys.
   Chem. B 101, 9463 (1997).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from qdlab.errors import QdlabInputError, check_positive

__all__ = ["ShellPopulation", "band_edge_vs_shell", "cores_from_trajectory"]


@dataclass(frozen=True)
class ShellPopulation:
    """A population of core/shell particles (one entry per size class).

    Attributes
    ----------
    core_material, shell_material : str
        Material names.
    core_diameter_nm : ndarray
        Core diameter of each class, nm.
    shell_thickness_nm : ndarray
        Shell thickness of each class, nm.
    number_mol : ndarray
        Particles in each class, mol of particles.
    new_particles_mol : float
        Separate shell-material particles nucleated homogeneously (mol of
        particles, 0 for SILAR or when nucleation is suppressed).
    nucleated_mol : float
        All shell-material nuclei formed during growth, including those that
        redissolved (time integral of the CNT rate), mol of particles.
    dissolved_cores_mol : float
        Cores that dissolved (Ostwald ripening) during shell growth; they are
        not in the class arrays (mol of particles).
    max_supersaturation : float
        Largest shell-monomer supersaturation during growth (nan for SILAR).
    critical_supersaturation : float
        Supersaturation above which homogeneous nucleation becomes significant
        (see :func:`critical_supersaturation`; nan for SILAR).
    history : dict
        Route-specific time/cycle series (``time_s`` and ``mean_shell_nm`` for
        continuous growth, ``cycle`` and ``mean_shell_nm`` for SILAR).
    """

    core_material: str
    shell_material: str
    core_diameter_nm: np.ndarray
    shell_thickness_nm: np.ndarray
    number_mol: np.ndarray
    new_particles_mol: float = 0.0
    nucleated_mol: float = 0.0
    dissolved_cores_mol: float = 0.0
    max_supersaturation: float = float("nan")
    critical_supersaturation: float = float("nan")
    history: dict = field(default_factory=dict)

    @property
    def mean_shell_thickness_nm(self) -> float:
        """Number-weighted mean shell thickness, nm."""
        return float(np.average(self.shell_thickness_nm, weights=self.number_mol))

    @property
    def nucleation_suppressed(self) -> bool:
        """True if fewer shell-material nuclei formed than 1 % of the cores (ever)."""
        return bool(max(self.nucleated_mol, self.new_particles_mol)
                    < 0.01 * float(np.sum(self.number_mol)))

    def structures(self, medium=None, temperature: float = 300.0) -> list:
        """The classes as :class:`qdlab.structures.CoreShell` objects.

        Classes with a shell thinner than 1e-6 nm are returned as a core with no
        shell.
        """
        from qdlab.structures import CoreShell

        out = []
        for d, t in zip(self.core_diameter_nm, self.shell_thickness_nm, strict=True):
            shells = [(self.shell_material, float(t))] if t > 1e-6 else []
            out.append(CoreShell(self.core_material, float(d), shells, medium=medium,
                                 temperature=temperature))
        return out

    def first_exciton(self, **options) -> dict:
        """Band-edge transition of every class (exact radial solver, vectorised).

        Parameters
        ----------
        **options
            Passed to :func:`qdlab.electronic.first_exciton_batch` (e.g. ``medium``).

        Returns
        -------
        dict
            ``first_exciton_eV`` and ``first_exciton_nm`` per class (ndarray) and
            ``mean_first_exciton_nm``: the number-weighted mean transition energy
            expressed as a wavelength, nm.
        """
        e = _first_exciton_eV(self.core_material, self.shell_material,
                              self.core_diameter_nm / 2.0, self.shell_thickness_nm, **options)
        from qdlab.constants import HC_EV_NM

        mean_e = float(np.average(e, weights=self.number_mol))
        return {"first_exciton_eV": e, "first_exciton_nm": HC_EV_NM / e,
                "mean_first_exciton_nm": HC_EV_NM / mean_e}


def _first_exciton_eV(core, shell, r_core_nm, t_nm, **options):
    from qdlab.electronic import first_exciton_batch

    r = np.atleast_1d(np.asarray(r_core_nm, dtype=float))
    t = np.broadcast_to(np.asarray(t_nm, dtype=float), r.shape)
    e = np.empty(r.shape)
    bare = t <= 1e-6
    if np.any(bare):
        e[bare] = first_exciton_batch([core], r[bare][:, None], **options)["first_exciton_eV"]
    if np.any(~bare):
        radii = np.column_stack([r[~bare], r[~bare] + t[~bare]])
        e[~bare] = first_exciton_batch([core, shell], radii, **options)["first_exciton_eV"]
    return e


def band_edge_vs_shell(core_material, core_diameter_nm: float, shell_material,
                       shell_thickness_nm, **options) -> np.ndarray:
    """First-exciton wavelength (nm) of a core/shell versus shell thickness.

    Parameters
    ----------
    core_material, shell_material : str or Material
    core_diameter_nm : float
        Core diameter, nm (> 0).
    shell_thickness_nm : array_like
        Shell thicknesses, nm (>= 0; 0 = bare core).
    **options
        Passed to :func:`qdlab.electronic.first_exciton_batch`.

    Returns
    -------
    ndarray
        First-exciton wavelength in nm, same shape as ``shell_thickness_nm``.

    Notes
    -----
    Exact radial effective-mass solution with Coulomb and dielectric terms
    (:func:`qdlab.electronic.first_exciton_batch`). For CdSe/CdS the small
    conduction-band offset lets the electron spread into the shell, so the
    band edge red-shifts as the shell grows (quasi-type II), as observed in the
    SILAR series of Li et al. (2003).

    References
    ----------
    J. J. Li et al., J. Am. Chem. Soc. 125, 12567 (2003). Bibliography ``li2003``.

    Examples
    --------
    >>> lam = band_edge_vs_shell("CdSe", 3.5, "CdS", [0.0, 0.336, 1.0])
    >>> bool(lam[0] < lam[1] < lam[2])
    True
    """
    check_positive(core_diameter_nm, "core_diameter_nm", "nm")
    t = np.asarray(shell_thickness_nm, dtype=float)
    if np.any(~np.isfinite(t)) or np.any(t < 0):
        raise QdlabInputError(f"shell_thickness_nm must be >= 0 nm, got {shell_thickness_nm!r}")
    from qdlab.constants import HC_EV_NM

    flat = t.reshape(-1)
    e = _first_exciton_eV(core_material, shell_material,
                          np.full(flat.shape, core_diameter_nm / 2.0), flat, **options)
    return (HC_EV_NM / e).reshape(t.shape)


def cores_from_trajectory(trajectory, max_classes: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """Core diameters and amounts from the final size classes of a synthesis run.

    Parameters
    ----------
    trajectory : qdlab.synthesis.Trajectory
        A finished core synthesis.
    max_classes : int
        Classes are merged (number- and volume-conserving, neighbours in size)
        down to at most this many, to keep the core/shell solves cheap.

    Returns
    -------
    diameter_nm, number_mol : ndarray
        Core diameters (nm, increasing) and particles per class (mol).

    See Also
    --------
    grow_shell_continuous, grow_shell_silar

    References
    ----------
    .. [1] D. V. Talapin, A. L. Rogach, M. Haase, H. Weller, J. Phys. Chem. B 105, 12278
       (2001). Bibliography ``talapin2001``.

    Examples
    --------
    >>> from qdlab.synthesis import example_recipe, run_recipe
    >>> d, n = cores_from_trajectory(run_recipe(example_recipe("cdse").with_updates(
    ...     duration_s=60.0)), max_classes=10)
    >>> len(d) <= 10 and bool(np.all(np.diff(d) > 0))
    True
    """
    r = np.asarray(trajectory.final_radii_nm, dtype=float)
    n = np.asarray(trajectory.final_number_mol, dtype=float)
    keep = (r > 0) & (n > 0)
    r, n = r[keep], n[keep]
    if r.size == 0:
        raise QdlabInputError("the trajectory has no particles at its end")
    if max_classes < 1:
        raise QdlabInputError(f"max_classes must be >= 1, got {max_classes}")
    order = np.argsort(r)
    r, n = r[order], n[order]
    if r.size > max_classes:
        # equal-number groups of neighbouring classes; volume-mean radius per group
        cum = np.cumsum(n) / n.sum()
        grp = np.minimum((cum * max_classes - 1e-12).astype(int), max_classes - 1)
        grp = np.maximum(grp, 0)
        ng = np.bincount(grp, weights=n, minlength=max_classes)
        vg = np.bincount(grp, weights=n * r**3, minlength=max_classes)
        ok = ng > 0
        r, n = np.cbrt(vg[ok] / ng[ok]), ng[ok]
    return 2.0 * r, n
