"""Data layer of the Chicago digital equity map: readers, measures, MOE maths, the snapshot build,
the Census API refresh, notes storage and accounts. Importable without Streamlit."""
