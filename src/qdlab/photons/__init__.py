"""Photons from single dots: multiexciton cascades, blinking, photon streams and their analysis.

The forward side simulates what a single-dot experiment records (time tags from a
dot whose rates come from :mod:`qdlab.electronic`); the inverse side analyses measured
or simulated :class:`~qdlab.io.timetags.PhotonStream` objects (intensity traces,
change points, on/off statistics, FLID, lifetimes, g2) with the same code.
"""

from qdlab.photons.blinking import BlinkingModel, blinking_trajectory
from qdlab.photons.detector import Detector
from qdlab.photons.emitter import EmitterRates
from qdlab.photons.simulate import simulate_stream
from qdlab.photons.spectral import SpectralDiffusion

__all__ = ["BlinkingModel", "Detector", "EmitterRates", "SpectralDiffusion",
           "blinking_trajectory", "simulate_stream"]
