"""Multiband k.p models (reserved).

Planned home of the multiband envelope-function solvers named in the design
(Luttinger 4x4/6x6 holes, Kane 8-band, perovskite k.p).  Today the valence band
enters through the band-edge hole mass (:mod:`qdlab.electronic.sphere.holes`) and
the hole mixing of :mod:`qdlab.electronic.anisotropy.polarisation`.
"""
