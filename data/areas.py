"""How many community areas and wards there are: the small surface the notes store uses from ``data``."""

from data.geographies import COMMUNITY_AREA, WARD

N_AREAS = COMMUNITY_AREA.count
N_WARDS = WARD.count
