"""One entry point from a structure to its states: :func:`solve`."""

from __future__ import annotations

from qdlab.errors import QdlabInputError
from qdlab.structures import SphericalStructure


def solve(structure, **options):
    """Solve a nanocrystal structure with the right solver.

    Spherical structures (:class:`~qdlab.structures.Sphere`,
    :class:`~qdlab.structures.CoreShell`) go to the exact radial solver
    (:func:`qdlab.electronic.sphere.exciton.solve_sphere`), every other shape
    (:mod:`qdlab.structures.shapes`) to the 3D grid solver
    (:func:`qdlab.electronic.grid.shape_states.solve_shape`); ``solver="grid"``
    forces the grid for a sphere.  Every solver can also be called directly.

    Parameters
    ----------
    structure
        A structure from :mod:`qdlab.structures`.
    **options
        ``solver`` ("auto", "radial", "grid") and options of the solver (e.g.
        ``l_max``, ``n_states``, ``nonparabolic``, ``screening``, ``resolution_nm``).
        An option the chosen solver does not take (e.g. ``l_max`` with
        ``solver="grid"``, ``resolution_nm`` for the radial solver) raises
        :class:`~qdlab.errors.QdlabInputError`; nothing is ignored.

    Returns
    -------
    ExcitonStates or ShapeStates
        Levels, the first exciton (``first_exciton_eV``, ``first_exciton_nm``),
        and ``to_dict()``.

    See Also
    --------
    qdlab.electronic.sphere.solve_sphere : layered spheres (exact radial solver).
    qdlab.electronic.grid.solve_shape : any shape on a 3D grid.
    qdlab.electronic.report.levels_report : the JSON-ready report.

    References
    ----------
    .. [R1] L. E. Brus, J. Chem. Phys. 80, 4403 (1984). Bibliography ``brus1984``.
    .. [R2] D. J. BenDaniel, C. B. Duke, Phys. Rev. 152, 683 (1966).
       Bibliography ``bendaniel1966``.

    Examples
    --------
    >>> import qdlab
    >>> st = qdlab.solve(qdlab.Sphere("CdSe", 4.0))
    >>> round(st.first_exciton_nm) > 500
    True
    """
    solver = options.pop("solver", "auto")
    if solver not in ("auto", "radial", "grid"):
        raise QdlabInputError(f"solver must be 'auto', 'radial' or 'grid', got {solver!r}")
    if isinstance(structure, SphericalStructure) and solver != "grid":
        from qdlab.electronic.sphere.exciton import solve_sphere

        _check_options(options, (solve_sphere,), "the radial solver (Sphere, CoreShell)")
        return solve_sphere(structure, **options)
    from qdlab.structures.shapes import Shape

    if isinstance(structure, (Shape, SphericalStructure)):
        if solver == "radial":
            raise QdlabInputError(f"solver 'radial' needs a Sphere or CoreShell, got "
                                  f"{type(structure).__name__}")
        from qdlab.electronic.grid.shape_states import solve_shape
        from qdlab.electronic.grid.solver import solve_grid

        _check_options(options, (solve_shape, solve_grid), "the 3D grid solver")
        return solve_shape(structure, **options)
    raise QdlabInputError(f"no solver for structure of type {type(structure).__name__}")


def _check_options(options: dict, functions, where: str) -> None:
    """Refuse (QdlabInputError) options that none of ``functions`` takes as a keyword."""
    import inspect

    names = set()
    for f in functions:
        names |= {p.name for p in inspect.signature(f).parameters.values()
                  if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)}
    names -= {"structure", "carrier"}
    bad = sorted(k for k in options if k not in names)
    if bad:
        raise QdlabInputError(f"option {bad[0]!r} does not apply to {where}; its options are "
                              f"{', '.join(sorted(names))}")
