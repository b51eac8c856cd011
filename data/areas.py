"""How many community areas and wards there are: the small surface the notes store uses from ``data``."""

N_AREAS = 77
N_WARDS = 50  # the City Council's wards, 2023 map
