"""Photons from single dots: multiexciton cascades, blinking, photon streams and their analysis.

The forward side simulates what a single-dot experiment records (time tags from a
dot whose rates come from :mod:`qdlab.electronic`); the inverse side analyses measured
or simulated :class:`~qdlab.io.timetags.PhotonStream` objects (intensity traces,
change points, on/off statistics, FLID, lifetimes, g2) with the same code.
"""
