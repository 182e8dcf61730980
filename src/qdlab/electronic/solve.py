"""One entry point from a structure to its states: :func:`solve`."""

from __future__ import annotations

from qdlab._validation import QdlabInputError
from qdlab.structures import SphericalStructure


def solve(structure, **options):
    """Solve a nanocrystal structure with the right solver.

    Spherical structures (:class:`~qdlab.structures.Sphere`,
    :class:`~qdlab.structures.CoreShell`) go to the exact radial solver
    (:func:`qdlab.electronic.exciton.solve_sphere`); every solver can also be
    called directly.

    Parameters
    ----------
    structure
        A structure from :mod:`qdlab.structures`.
    **options
        Passed to the solver (e.g. ``l_max``, ``n_states``, ``nonparabolic``,
        ``screening``).

    Returns
    -------
    ExcitonStates
        Levels, wavefunctions, Coulomb terms, overlap and band alignment.

    Examples
    --------
    >>> import qdlab
    >>> st = qdlab.solve(qdlab.Sphere("CdSe", 4.0))
    >>> round(st.first_exciton_nm) > 500
    True
    """
    if isinstance(structure, SphericalStructure):
        from qdlab.electronic.exciton import solve_sphere

        return solve_sphere(structure, **options)
    raise QdlabInputError(f"no solver for structure of type {type(structure).__name__}")
