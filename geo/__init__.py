"""Geography of the Chicago digital equity map: tract → community-area apportionment, boundaries,
web simplification and folium map builders. Importable without Streamlit."""
