"""One JSON-ready report of a structure's levels, whatever its shape.

Used by the ``qdlab levels`` command and the web API so that both show the
same numbers: the right solver for the shape (:func:`qdlab.solve`), the
dedicated platelet model (:func:`qdlab.electronic.anisotropy.platelets.platelet_band_edge`)
for nanoplatelets, the bonding/antibonding analysis for dimers, and the
polarisation anisotropy for elongated and flat particles.
"""

from __future__ import annotations

from qdlab.structures import SphericalStructure

#: Options of :func:`levels_report` passed to the radial solver
#: (:func:`qdlab.electronic.sphere.solve_sphere`).
RADIAL_OPTIONS = ("l_max", "nonparabolic", "screening", "coulomb", "interface_width_nm")
#: Options of :func:`levels_report` passed to the 3D grid solver
#: (:func:`qdlab.electronic.grid.solve_shape`) of spheres, rods, cubes, tetrapods, dimers.
GRID_OPTIONS = ("nonparabolic", "screening", "coulomb", "interface_width_nm")


def _refuse(what: str, value, where: str, applies: str):
    from qdlab.errors import QdlabInputError

    raise QdlabInputError(f"{what} does not apply to {where} (it applies to {applies}), "
                          f"got {what}={value!r}")


def levels_report(structure, *, solver: str = "auto", resolution_nm: float | None = None,
                  n_states: int | None = None, return_states: bool = False,
                  dielectric: str | None = None, model: str = "auto", **options):
    """Levels and first exciton of ``structure`` as a dict.

    Always contains ``first_exciton_eV``, ``first_exciton_nm`` and ``model``
    (``"kp"`` or ``"single-band"``); adds
    ``polarisation_anisotropy`` for rods, dot-in-rods and platelets, and
    ``dimer`` (bonding/antibonding splitting) for dimers.

    Parameters
    ----------
    structure
        Sphere, CoreShell or a shape from :mod:`qdlab.structures.shapes`.
    solver : {"auto", "radial", "grid"}
        ``"grid"`` solves a Sphere/CoreShell on the 3D grid with the same physical
        model as the radial solver (:func:`qdlab.electronic.grid.solve_shape`).
    resolution_nm : float, optional
        Grid spacing for the 3D solver, nm (grid solves and platelet anisotropy only).
    n_states : int, optional
        Radial states per angular momentum (radial solver, default 2) or states per
        carrier (grid, default 2).  Not used by the platelet model.
    dielectric : {"mismatch", "uniform"}, optional
        Coulomb terms: ``"mismatch"`` with the image terms of the permittivity steps,
        ``"uniform"`` in the core's constant.  Default: ``"mismatch"`` for a
        Sphere/CoreShell (either solver), ``"uniform"`` for other grid shapes (the
        Poisson image solves take seconds).  Not used by the platelet model.
    model : {"auto", "kp", "single-band"}
        Electronic model (:func:`qdlab.electronic.model_choice.resolve_model`):
        ``"auto"`` (default) is the multiband quantum well for zinc-blende platelets
        and single band elsewhere (where k.p is better but not the default, and why:
        :mod:`qdlab.electronic.model_choice`); ``"kp"`` is refused (naming what
        applies) for a structure without a k.p model or with ``solver="grid"``.  The
        k.p report (:func:`qdlab.electronic.kp.levels.kp_levels_report`) takes
        ``screening``, ``coulomb``, ``interface_width_nm`` and ``dielectric="mismatch"``
        (Kane/Luttinger spheres) and refuses the single-band options (``l_max``,
        ``n_states``, ``nonparabolic``, ``resolution_nm``).
    return_states : bool
        Also return the solved states: ``(report, states)`` with the
        :class:`~qdlab.electronic.grid.shape_states.ShapeStates` of a 3D-grid solve
        (``states.electrons``, ``states.holes``), None for the radial and
        platelet models.
    **options
        :data:`RADIAL_OPTIONS` for the radial solver (``l_max``, ``nonparabolic``,
        ``screening``, ``coulomb``, ``interface_width_nm``), :data:`GRID_OPTIONS` for
        the grid.

    Raises
    ------
    QdlabInputError
        An option that does not apply to the structure and solver (e.g. ``l_max``
        on the grid, ``resolution_nm`` for the radial solver, any physics option for
        a platelet), naming the option and where it applies; never ignored.

    Examples
    --------
    >>> from qdlab.structures import Sphere
    >>> d = levels_report(Sphere("CdSe", 4.0))
    >>> sorted(k for k in d if k.startswith("first_exciton"))
    ['first_exciton_eV', 'first_exciton_nm']
    >>> d["model"]
    'single-band'
    >>> levels_report(Sphere("CdSe", 4.0), solver="radial", resolution_nm=0.1,
    ...               model="single-band")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    qdlab.errors.QdlabInputError: resolution_nm does not apply to the radial solver ...
    """
    from qdlab.electronic.solve import solve
    from qdlab.errors import QdlabInputError

    def done(out, states=None, chosen="single-band"):
        out["model"] = chosen
        return (out, states) if return_states else out

    if solver not in ("auto", "radial", "grid"):
        raise QdlabInputError(f"solver must be 'auto', 'radial' or 'grid', got {solver!r}")
    from qdlab.electronic.model_choice import resolve_model

    chosen = resolve_model(structure, model, solver)
    spherical = isinstance(structure, SphericalStructure)
    platelet = False     # (shapes are not imported for spheres: start-up path)
    if not spherical:
        from qdlab.structures.shapes import Platelet

        platelet = isinstance(structure, Platelet)
    # a platelet's k.p model is its quantum well, solved in the platelet branch below
    if chosen == "kp" and not platelet:
        from qdlab.electronic.kp.levels import kp_levels_report

        for k, v in (("resolution_nm", resolution_nm), ("n_states", n_states)):
            if v is not None:
                _refuse(k, v, "the k.p model (model 'kp')",
                        "model 'single-band'")
        if dielectric is not None:
            options["dielectric"] = dielectric
        return done(kp_levels_report(structure, **options), None, "kp")
    if spherical and solver != "grid":
        where = "the radial solver"
        if resolution_nm is not None:
            _refuse("resolution_nm", resolution_nm, where,
                    "the 3D grid solver and platelet anisotropy")
        for k, v in options.items():
            if k not in RADIAL_OPTIONS:
                _refuse(k, v, where, "the 3D grid solver" if k in GRID_OPTIONS
                        else "no solver of levels_report")
        extra = {} if n_states is None else {"n_states": n_states}
        if dielectric is not None:
            extra["dielectric"] = dielectric
        return done(solve(structure, solver="radial", **options, **extra).to_dict())
    # (the shapes package is imported only here: a sphere's levels do not need it)
    from qdlab.structures.shapes import Dimer, DotInRod, Platelet, Rod, as_shape

    grid = {"resolution_nm": resolution_nm}
    if isinstance(structure, Platelet):
        from qdlab.electronic.anisotropy.platelets import platelet_band_edge
        from qdlab.electronic.anisotropy.polarisation import polarisation_anisotropy

        where = "the platelet model (thickness quantisation + Rytova-Keldysh exciton)"
        for k, v in (("n_states", n_states), ("dielectric", dielectric)):
            if v is not None:
                _refuse(k, v, where, "spheres and 3D-grid shapes")
        for k, v in options.items():
            _refuse(k, v, where, "spheres and 3D-grid shapes")
        if solver == "radial":
            _refuse("solver", solver, "a platelet", "a Sphere or CoreShell")
        from qdlab.electronic.model_choice import PLATELET_MODEL_OPTIONS

        out = dict(platelet_band_edge(structure, **PLATELET_MODEL_OPTIONS[chosen]).as_dict())
        out["solver"] = "platelet (thickness quantisation + Rytova-Keldysh exciton)"
        if chosen == "kp":
            out["kp_model"] = "kane3-luttinger6-well"
        out["polarisation_anisotropy"] = polarisation_anisotropy(structure, **grid)
        return done(out, chosen=chosen)
    if solver == "radial":
        raise QdlabInputError(f"solver 'radial' needs a Sphere or CoreShell, got "
                              f"{type(structure).__name__}")
    for k, v in options.items():
        if k not in GRID_OPTIONS:
            _refuse(k, v, "the 3D grid solver", "the radial solver" if k in RADIAL_OPTIONS
                    else "no solver of levels_report")
    n_states = 2 if n_states is None else n_states
    if isinstance(structure, Dimer):
        from qdlab.electronic.anisotropy.dimers import dimer_splitting
        from qdlab.electronic.grid.budget import check_grid_budget
        from qdlab.electronic.grid.operator import _padding
        from qdlab.electronic.sphere.profiles import MEDIUM_MASS

        # budget both grid solves (levels, splitting) before starting the first
        for s, h in report_grids(structure, resolution_nm)[1:]:
            s = as_shape(s)
            check_grid_budget(s, h, _padding(s, h, MEDIUM_MASS), True, 2, 8.0)
        st = solve(structure, solver="grid", n_states=max(n_states, 2), dielectric=dielectric,
                   **grid, **options)
        out = st.to_dict()
        out["dimer"] = dimer_splitting(structure.a, structure.b, structure.gap_nm,
                                       structure.neck_diameter_nm, **grid).as_dict()
        return done(out, st)
    st = solve(structure, solver="grid", n_states=n_states, dielectric=dielectric, **grid,
               **options)
    out = st.to_dict()
    if isinstance(structure, (Rod, DotInRod)):
        from qdlab.electronic.anisotropy.polarisation import polarisation_anisotropy

        out["polarisation_anisotropy"] = polarisation_anisotropy(
            structure, states=st.holes, electron_states=st.electrons)
    return done(out, st)


def report_grids(structure, resolution_nm: float | None = None) -> list[tuple[object, float]]:
    """The 3D grid solves :func:`levels_report` makes for ``structure``: (structure, h nm).

    Empty for spheres/core-shells on the radial path and for platelets.  A dimer
    is solved once for its levels and again, with its partner ``a`` alone, for the
    bonding/antibonding splitting (:func:`qdlab.electronic.anisotropy.dimers.dimer_splitting`).
    Use with :func:`qdlab.electronic.grid.grid_unknowns` to budget a report before
    running it.

    Examples
    --------
    >>> from qdlab.structures.shapes import Cube
    >>> [round(h, 3) for _, h in report_grids(Cube("CdSe", 4.0))]
    [0.15]
    """
    from qdlab.electronic.anisotropy.dimers import default_splitting_resolution_nm
    from qdlab.electronic.grid import default_resolution_nm
    from qdlab.structures.shapes import Dimer, Platelet

    if isinstance(structure, (SphericalStructure, Platelet)):
        return []
    h = default_resolution_nm(structure) if resolution_nm is None else float(resolution_nm)
    out = [(structure, h)]
    if isinstance(structure, Dimer):
        hd = (default_splitting_resolution_nm(structure) if resolution_nm is None
              else float(resolution_nm))
        out += [(structure, hd), (structure.a, hd)]
    return out


def largest_report_grid(structure, resolution_nm: float | None = None) -> tuple[int, float]:
    """(unknowns, spacing nm) of the largest grid solve of :func:`levels_report`.

    (0, nan) when the report makes no grid solve (radial spheres, platelets).

    Examples
    --------
    >>> from qdlab.structures.shapes import Cube
    >>> largest_report_grid(Cube("CdSe", 4.0))
    (8000, 0.15)
    """
    from qdlab.electronic.grid import grid_unknowns

    grids = report_grids(structure, resolution_nm)
    if not grids:
        return 0, float("nan")
    return max((grid_unknowns(s, h), h) for s, h in grids)
