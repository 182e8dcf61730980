r"""Which electronic model a structure is solved with: k.p or single band.

``qdlab levels --model auto|kp|single-band``, the web API's ``model`` field and
:func:`qdlab.electronic.report.levels_report` (``model=``) resolve the model here.  This
module imports neither the k.p solvers nor scipy (the ``qdlab levels`` start-up path);
the k.p report is :func:`qdlab.electronic.kp.levels.kp_levels_report`.

Where k.p is the default: nanoplatelets
----------------------------------------
A zinc-blende platelet is a quantum well along [001].  ``model="auto"`` solves it with
the multiband well (``"kp"``, registry ``kane3-luttinger6-well``): the three-band Kane
electron and the hole subbands of the 6x6 Luttinger-Kohn Hamiltonian (the light hole
mixed with the split-off band along z, the heavy hole decoupled at
:math:`k_\parallel = 0`), with the exciton moving in the plane on the subband
dispersions and the overlaps of the mixed spinors in its Coulomb matrix elements
(:mod:`qdlab.electronic.anisotropy.well_exciton`).  ``model="single-band"`` solves the
same well with the single-band model of the spheres: the two-band Kane electron mass
:math:`m(E) = m_e(1 + E/E_g)`, parabolic holes and band-edge in-plane masses
(:data:`PLATELET_MODEL_OPTIONS`).
Against the zinc-blende CdSe series of Ithurria et al. 2011 (``qdlab validate``,
nothing fitted), RMS error in eV:

===========  =============  ===========
line         single band    k.p (auto)
===========  =============  ===========
heavy hole   0.092          0.048
light hole   0.166          0.040
===========  =============  ===========

Platelets have one solver (no 3D grid, no spectra), so the k.p default gives one answer
per structure.  Records without Luttinger parameters, Kane energy or spin-orbit
splitting (ZnS; CdS with an explicit cubic lattice constant) get the single band under
``auto``; a non-zinc-blende record without one is refused when the platelet is built.

Where k.p is better, and why it is not yet the default: CdSe spheres
---------------------------------------------------------------------
``model="auto"`` selects the k.p model for the materials in :data:`KP_DEFAULT_MATERIALS`
(bare spheres, radial solver).  The list is empty today.  k.p is better than single
band on every first-exciton data set of one material in the repository
(``qdlab validate``, RMS error, eV; nothing is fitted):

* **CdSe (wurtzite) bare spheres**: Jasieniak 2009 k.p 0.040 vs single band 0.056,
  Yu 2003 0.044 vs 0.079.

It is still not the default there, because one structure must give one answer by
default.  The 3D grid (``--solver grid``), the ensemble spectra (``qdlab spectrum``) and
the sizing tables (``qdlab fit``, ``qdlab size``) use the single-band states.  A k.p
default for ``levels`` alone would put ``levels`` 20 meV away from ``spectrum`` and
from the grid for the same 4 nm CdSe dot.  ``model="kp"`` gives the better numbers on
request.

Elsewhere k.p is not better: CdTe (Yu 2003: k.p 0.084 vs 0.080), CdS (0.341 for both:
no Luttinger parameters, so the k.p hole is the single-band hole), PbS (Moreels 2009:
Kang-Wise 0.039 vs 0.030) and PbSe (Moreels 2007 relation, 3-8 nm: 0.084 vs 0.062).
Core/shells have no data set in the repository.

References
----------
.. [1] J. Jasieniak, L. Smith, J. van Embden, P. Mulvaney and M. Califano,
   J. Phys. Chem. C 113, 19468 (2009).
.. [2] W. W. Yu, L. Qu, W. Guo and X. Peng, Chem. Mater. 15, 2854 (2003).
.. [3] I. Moreels et al., ACS Nano 3, 3023 (2009).
.. [4] S. Ithurria, M. D. Tessier, B. Mahler, R. P. S. M. Lobo, B. Dubertret and
   Al. L. Efros, Nat. Mater. 10, 936 (2011).

Examples
--------
>>> from qdlab.structures import CoreShell, Sphere
>>> resolve_model(Sphere("CdSe", 4.0)), resolve_model(Sphere("CdSe", 4.0), "kp")
('single-band', 'kp')
>>> resolve_model(CoreShell("CdSe", 3.0, [("ZnS", 1.0)]))
'single-band'
>>> resolve_model(Sphere("CdSe", 4.0), solver="grid")
'single-band'
>>> from qdlab.structures.shapes import Platelet
>>> resolve_model(Platelet("CdSe", 4, 20.0)), resolve_model(Platelet("ZnS", 4, 20.0))
('kp', 'single-band')
"""

from __future__ import annotations

from qdlab.errors import QdlabInputError

__all__ = ["KP_DEFAULT_MATERIALS", "MODELS", "PLATELET_MODEL_OPTIONS", "resolve_model"]

#: Values of the ``model`` option.
MODELS = ("auto", "kp", "single-band")
#: Material keys whose bare spheres use the k.p model by default (module notes).
KP_DEFAULT_MATERIALS: tuple[str, ...] = ()
#: Options of :func:`qdlab.electronic.anisotropy.platelets.platelet_band_edge` that make
#: each model of a platelet (module notes): k.p = the function's defaults.
PLATELET_MODEL_OPTIONS: dict[str, dict] = {
    "kp": {},
    "single-band": {"kane_model": "two-band", "split_off_mixing": False,
                    "inplane": "band-edge"},
}


def resolve_model(structure, model: str = "auto", solver: str = "auto") -> str:
    """``"kp"`` or ``"single-band"``: the model that ``structure`` is solved with.

    Parameters
    ----------
    structure
        Sphere, CoreShell or a shape of :mod:`qdlab.structures.shapes`.
    model : {"auto", "kp", "single-band"}
        ``"auto"``: k.p for zinc-blende platelets it applies to and for bare spheres of
        :data:`KP_DEFAULT_MATERIALS` (empty today) with the radial solver (module
        notes), single band otherwise.
    solver : {"auto", "radial", "grid"}
        The 3D grid has the single-band model only.

    Raises
    ------
    QdlabInputError
        ``model`` not one of :data:`MODELS`; ``model="kp"`` where no k.p model applies
        or with ``solver="grid"`` (the message names what applies).
    """
    from qdlab.structures import SphericalStructure

    if model not in MODELS:
        raise QdlabInputError(f"model must be one of {', '.join(MODELS)}, got {model!r}")
    if model == "single-band":
        return model
    if model == "kp":
        if solver == "grid":
            raise QdlabInputError("model 'kp' does not apply to solver 'grid' (the 3D grid "
                                  "solves the single-band model; k.p uses the radial/"
                                  "analytic solvers: solver auto or radial)")
        from qdlab.electronic.kp.levels import kp_not_applicable

        reason = kp_not_applicable(structure)
        if reason is not None:
            raise QdlabInputError(f"model 'kp' does not apply: {reason}; use model "
                                  "'single-band'")
        return "kp"
    if isinstance(structure, SphericalStructure):
        default = (len(structure.materials) == 1 and solver != "grid"
                   and structure.materials[0].key in KP_DEFAULT_MATERIALS)
    else:
        from qdlab.electronic.kp.levels import kp_not_applicable
        from qdlab.structures.shapes import Platelet

        default = isinstance(structure, Platelet) and kp_not_applicable(structure) is None
    return "kp" if default else "single-band"
