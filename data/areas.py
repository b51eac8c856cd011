"""The number of community areas: the small surface the notes store uses from ``data``."""

N_AREAS = 77
