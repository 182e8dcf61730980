"""Deprecated alias of :mod:`qdlab.errors` (kept so that existing imports keep working)."""

from qdlab.errors import *  # noqa: F403
from qdlab.errors import QdlabInputError, QdlabValidityWarning, unknown_name_error  # noqa: F401
