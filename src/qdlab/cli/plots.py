"""Figures for the CLI (presentation only: the states come from the library)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from qdlab.cli._common import save_figure


def plot_levels(path: Path, structure, *, solver: str = "auto",
                resolution_nm: float | None = None, profiles: dict | None = None,
                first_exciton_nm: float | None = None) -> Path:
    """Radial probabilities (spheres) or wavefunction slices (3D shapes) as a PNG.

    ``profiles`` (``r_nm``, ``electron_wavefunction``, ``hole_wavefunction``, e.g. of the
    k.p report) are drawn instead of a single-band solve of a sphere.  The slices of a
    3D shape come from a single-band grid solve; ``first_exciton_nm`` (the answer of the
    report, e.g. a platelet's quantum-well line) replaces the grid's own in the title.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from qdlab.electronic import solve
    from qdlab.structures import SphericalStructure

    if isinstance(structure, SphericalStructure) and solver != "grid":
        if profiles is None:
            st = solve(structure)
            r, fe, fh = st.r_nm, st.electron_wavefunction, st.hole_wavefunction
            e1_nm, h_label = st.first_exciton_nm, "hole 1S"
        else:
            r, fe, fh = (np.asarray(profiles[k]) for k in
                         ("r_nm", "electron_wavefunction", "hole_wavefunction"))
            e1_nm, h_label = profiles.get("first_exciton_nm"), "hole 1S3/2 (k.p, L = 0 + 2)"
        fig, ax = plt.subplots(figsize=(6, 4))
        ax.plot(r, fe**2 * r**2, label="electron 1S")
        ax.plot(r, fh**2 * r**2, label=h_label)
        for rr in structure.radii_nm:
            ax.axvline(rr, color="k", lw=0.5, ls="--")
        ax.set_xlabel("r (nm)")
        ax.set_ylabel("r$^2$|R|$^2$ (nm$^{-1}$)")
        ax.set_title(f"{structure.label}: first exciton {e1_nm:.0f} nm")
        ax.legend()
        save_figure(fig, path)
        return Path(path)
    st = solve(structure, solver="grid", n_states=1, resolution_nm=resolution_nm)
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.5))
    for ax, states, name in ((axes[0], st.electrons, "electron"), (axes[1], st.holes, "hole")):
        dens = states.wavefunctions[0] ** 2
        j = int(np.argmin(np.abs(states.y_nm)))
        sl = dens[:, j, :].T
        ext = (states.x_nm[0], states.x_nm[-1], states.z_nm[0], states.z_nm[-1])
        ax.imshow(sl, origin="lower", extent=ext, cmap="magma", aspect="equal")
        ax.contour(states.x_nm, states.z_nm, (states.region_index[:, j, :].T
                                              < len(getattr(structure, "regions", [0]))),
                   levels=[0.5], colors="w", linewidths=0.6)
        ax.set_xlabel("x (nm)")
        ax.set_ylabel("z (nm)")
        ax.set_title(f"{name} ground state |psi|^2, y = 0 slice")
    e1 = st.first_exciton_nm if first_exciton_nm is None else first_exciton_nm
    fig.suptitle(f"{type(structure).__name__}: first exciton {e1:.0f} nm "
                 "(slices: single-band 3D grid)")
    fig.tight_layout()
    save_figure(fig, path)
    return Path(path)
