"""Geometry and maps: web simplification of the community-area boundaries and folium map builders.
Pure (no Streamlit); imports neither ``data`` nor ``notes`` (``data`` imports ``geo``: the build simplifies
the boundaries), only the top-level ``settings`` and ``words``."""
