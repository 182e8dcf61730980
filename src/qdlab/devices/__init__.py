"""Devices from the dots: luminescent solar concentrators, displays, solar cells, lasers.

Each device model starts from qdlab's own ensembles (absorption, photoluminescence,
quantum yield, Stokes shift, concentration) and is checked against a physical limit
and a published device.
"""
