"""qdlab.optics."""
