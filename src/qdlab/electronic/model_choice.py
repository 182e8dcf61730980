r"""Which electronic model a structure is solved with: k.p or single band.

``qdlab levels --model auto|kp|single-band``, the web API's ``model`` field and
:func:`qdlab.electronic.report.levels_report` (``model=``) resolve the model here.  This
module imports neither the k.p solvers nor scipy (the ``qdlab levels`` start-up path);
the k.p report is :func:`qdlab.electronic.kp.levels.kp_levels_report`.

Where k.p is better, and why it is not yet the default
------------------------------------------------------
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

Examples
--------
>>> from qdlab.structures import CoreShell, Sphere
>>> resolve_model(Sphere("CdSe", 4.0)), resolve_model(Sphere("CdSe", 4.0), "kp")
('single-band', 'kp')
>>> resolve_model(CoreShell("CdSe", 3.0, [("ZnS", 1.0)]))
'single-band'
>>> resolve_model(Sphere("CdSe", 4.0), solver="grid")
'single-band'
"""

from __future__ import annotations

from qdlab.errors import QdlabInputError

__all__ = ["KP_DEFAULT_MATERIALS", "MODELS", "resolve_model"]

#: Values of the ``model`` option.
MODELS = ("auto", "kp", "single-band")
#: Material keys whose bare spheres use the k.p model by default (module notes).
KP_DEFAULT_MATERIALS: tuple[str, ...] = ()


def resolve_model(structure, model: str = "auto", solver: str = "auto") -> str:
    """``"kp"`` or ``"single-band"``: the model that ``structure`` is solved with.

    Parameters
    ----------
    structure
        Sphere, CoreShell or a shape of :mod:`qdlab.structures.shapes`.
    model : {"auto", "kp", "single-band"}
        ``"auto"``: k.p for bare spheres of :data:`KP_DEFAULT_MATERIALS` (empty today)
        with the radial solver (module notes), single band otherwise.
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
    default = (isinstance(structure, SphericalStructure) and len(structure.materials) == 1
               and structure.materials[0].key in KP_DEFAULT_MATERIALS and solver != "grid")
    return "kp" if default else "single-band"
