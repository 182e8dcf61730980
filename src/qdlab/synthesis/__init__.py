"""qdlab.synthesis."""
