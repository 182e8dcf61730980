"""qdlab.cli."""
