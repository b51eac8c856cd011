"""Geometry and maps: web simplification of the community-area boundaries and folium map builders.
Pure (no Streamlit), and independent of ``data`` and ``notes``."""
