"""The numbers: raw-input readers, the Census API client, measure definitions, MOE maths, tract → area
apportionment, input checks, the snapshot build and refresh, the snapshot reader, the geographies and the place
table (one period for one geography, with the questions the pages ask of it).
Importable without Streamlit; never imports ``notes`` or ``ui``. Imports ``geo`` for one thing: the build simplifies
the boundaries with :mod:`geo.boundaries`."""
