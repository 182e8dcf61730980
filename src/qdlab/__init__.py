"""qdlab: an open laboratory for colloidal quantum dots."""

__version__ = "0.1.0"
