r"""Layer-by-layer shell growth (SILAR) and the thickness of one monolayer.

Successive ion layer adsorption and reaction (Li et al. 2003): each cycle (a cation
and an anion half-cycle) adds at most one monolayer of the shell material; a per-cycle
completion efficiency :math:`\eta` (0-1) gives the mean thickness added per cycle.

Notes
-----
One monolayer is the spacing of the close-packed cation-anion double layers:

.. math::

    \mathrm{ML} = c/2 \ \text{(wurtzite)}, \qquad a/\sqrt3 \ \text{(zinc blende, } d_{111}),
    \qquad a/2 \ \text{(rock salt)}.

For CdS (wurtzite, c = 0.6716 nm) this is 0.336 nm; Li et al. (2003) used 0.35 nm
per CdS monolayer.  After :math:`k` cycles the shell is :math:`t_k = k\,\eta\,\mathrm{ML}`
thick on every core, and the shell material needed in cycle :math:`k` is

.. math::

    n_k = \frac{N_A}{V_m}\sum_i N_i\,\frac{4\pi}{3}\big[(r_i + t_k)^3 - (r_i + t_{k-1})^3\big]

(mol of formula units; :math:`V_m` the molar volume, :math:`N_i` the particles of
class :math:`i` in mol).

References
----------
.. [1] J. J. Li, Y. A. Wang, W. Guo, J. C. Keay, T. D. Mishima, M. B. Johnson,
   X. Peng, "Large-scale synthesis of nearly monodisperse CdSe/CdS core/shell
   nanocrystals using air-stable reagents via successive ion layer adsorption
   and reaction", J. Am. Chem. Soc. 125, 12567-12575 (2003),
   doi:10.1021/ja0363563.
"""

from __future__ import annotations

import math

import numpy as np

from qdlab.constants import AVOGADRO
from qdlab.errors import QdlabInputError, check_positive, check_range
from qdlab.synthesis.shell_population import ShellPopulation
from qdlab.synthesis.shell_recipes import _core_classes

__all__ = ["grow_shell_silar", "monolayer_thickness_nm"]


def monolayer_thickness_nm(material) -> float:
    """Thickness of one monolayer (one cation-anion double layer) of a material, in nm.

    Parameters
    ----------
    material : str or Material
        A material of :mod:`qdlab.materials` (e.g. ``"CdS"``, ``"ZnS"``).

    Returns
    -------
    float
        Monolayer thickness in nm.

    Notes
    -----
    wurtzite: c/2 (two double layers per c); zinc blende: d111 = a/sqrt(3)
    (the same close-packed double layers along [111]); rock salt: a/2 (along
    [100]); any other lattice: the cube root of the volume per formula unit
    (molar volume / N_A), a rough estimate.

    References
    ----------
    Li et al., J. Am. Chem. Soc. 125, 12567 (2003) take 0.35 nm per CdS monolayer.
    Bibliography ``li2003``.

    Examples
    --------
    >>> round(monolayer_thickness_nm("CdS"), 3)       # wurtzite c/2
    0.336
    >>> round(monolayer_thickness_nm("ZnS"), 3)
    0.312
    """
    from qdlab.materials import get_material

    mat = get_material(material)
    cs = str(getattr(mat, "crystal_structure", "")).lower()
    a = getattr(mat, "lattice_constant_nm", None)
    c = getattr(mat, "lattice_c_nm", None)
    if "wurtzite" in cs and c:
        return float(c) / 2.0
    if ("zinc" in cs or "zb" == cs) and a:
        return float(a) / math.sqrt(3.0)
    if "rock" in cs and a:
        return float(a) / 2.0
    vm = mat.molar_mass_g_mol / mat.density_g_cm3  # cm^3/mol
    return float(np.cbrt(vm * 1e21 / AVOGADRO))


def grow_shell_silar(core_diameter_nm, number_mol, shell_material, cycles: int, *,
                     efficiency: float = 1.0, core_material: str = "CdSe",
                     monolayer_nm: float | None = None) -> ShellPopulation:
    """Grow a shell layer by layer (SILAR): one monolayer per cycle at most.

    Parameters
    ----------
    core_diameter_nm, number_mol : array_like
        Core diameters (nm) and particles per class (mol).
    shell_material : str
        Shell material (e.g. ``"CdS"``).
    cycles : int
        Number of SILAR cycles (cation + anion half-cycles), >= 0.
    efficiency : float
        Per-cycle completion of the monolayer, in (0, 1] (1 = a full monolayer
        every cycle, as intended in Li et al. 2003).
    core_material : str
        Core material.
    monolayer_nm : float, optional
        Monolayer thickness in nm (default :func:`monolayer_thickness_nm`).

    Returns
    -------
    ShellPopulation
        ``history`` holds ``cycle``, ``mean_shell_nm`` and ``precursor_mol``
        (shell material needed in each cycle, mol of formula units, from the
        volume of the added layer: what Li et al. computed for each injection).

    Notes
    -----
    After n cycles the shell is n * efficiency * ML thick on every core (the
    same for all classes: SILAR deposits by layers, not by a size-dependent
    growth law). The amount per cycle is
    sum_i N_i (4 pi / 3) ((r_i + t_k)^3 - (r_i + t_{k-1})^3) N_A / V_m.

    References
    ----------
    J. J. Li et al., J. Am. Chem. Soc. 125, 12567 (2003). Bibliography ``li2003``.

    Examples
    --------
    >>> pop = grow_shell_silar([3.5], [1e-7], "CdS", 3, efficiency=0.9)
    >>> round(pop.mean_shell_thickness_nm, 3)    # 3 x 0.9 x 0.336 nm
    0.907
    """
    d0, n0 = _core_classes(core_diameter_nm, number_mol)
    if not isinstance(cycles, (int, np.integer)) or cycles < 0:
        raise QdlabInputError(f"cycles must be an integer >= 0, got {cycles!r}")
    check_range(efficiency, "efficiency", 1e-9, 1.0)
    ml = monolayer_thickness_nm(shell_material) if monolayer_nm is None else monolayer_nm
    check_positive(ml, "monolayer_nm", "nm")
    from qdlab.materials import get_material

    mat = get_material(shell_material)
    vm_nm3_per_mol = mat.molar_mass_g_mol / mat.density_g_cm3 * 1e21  # nm^3/mol
    k = np.arange(cycles + 1)
    t_k = k * efficiency * ml
    r0 = d0 / 2.0
    vol = (4.0 * np.pi / 3.0) * ((r0[None, :] + t_k[:, None]) ** 3 - r0[None, :] ** 3)
    amount = AVOGADRO * (vol @ n0) / vm_nm3_per_mol  # mol of formula units in all shells
    return ShellPopulation(
        core_material=str(core_material), shell_material=str(shell_material),
        core_diameter_nm=d0, shell_thickness_nm=np.full(d0.shape, t_k[-1]), number_mol=n0,
        history={"cycle": k, "mean_shell_nm": t_k,
                 "precursor_mol": np.diff(amount, prepend=0.0)})
