"""
Halide anion exchange in CsPbBr3 nanocrystals
=============================================

Adding iodide or chloride to green CsPbBr3 nanocubes exchanges the anions within seconds
to minutes (Nedelcu et al., Nano Lett. 15, 5635 (2015); Akkerman et al., JACS 137, 10276
(2015)): the emission moves across the whole visible range.  `qdlab.synthesis.halide_exchange`
models first-order exchange towards the equilibrium composition set by the halide ratio,
the alloy band gap (with bowing) and the confined exciton of the cube.

The exchange-rate parameters are estimates; the figure shows the shape of the kinetics,
not a calibrated time axis.
"""

# %%
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from qdlab.synthesis import halide_exchange

t = np.linspace(0.0, 120.0, 41)                  # s
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
for target, ratios, cmap in (("I", (0.5, 2.0, 20.0), "Reds"), ("Cl", (0.5, 2.0, 20.0), "Blues")):
    for k, ratio in enumerate(ratios):
        res = halide_exchange(t, target, halide_ratio=ratio, edge_nm=10.0)
        colour = plt.get_cmap(cmap)(0.4 + 0.25 * k)
        ax1.plot(t, res.emission_nm, color=colour, label=f"{target}, ratio {ratio:g}")
        ax2.plot(t, res.x, color=colour)
        print(f"{target} ratio {ratio:5g}: x_eq = {res.x_eq:.2f}, "
              f"emission {res.emission_nm[0]:.0f} -> {res.emission_nm[-1]:.0f} nm")
ax1.set_xlabel("time (s)")
ax1.set_ylabel("emission (nm)")
ax1.set_title("10 nm CsPbBr3 cubes, 298 K")
ax1.legend(fontsize=7, ncol=2)
ax2.set_xlabel("time (s)")
ax2.set_ylabel("fraction x of incoming halide")
fig.tight_layout()

# %%
# Temperature speeds the exchange (Arrhenius rate)
# ------------------------------------------------
fig, ax = plt.subplots(figsize=(6, 4))
for T in (273.15, 298.15, 323.15):
    res = halide_exchange(t, "I", halide_ratio=20.0, temperature_K=T)
    ax.plot(t, res.emission_nm, label=f"{T - 273.15:.0f} C (k = {res.rate_per_s:.3g} 1/s)")
ax.set_xlabel("time (s)")
ax.set_ylabel("emission (nm)")
ax.legend()
fig.tight_layout()
