"""The council-notes store: database and schema, accounts (``python -m notes.accounts``), notes, uploads
and exports. Importable without Streamlit; knows area numbers and names (passed in), nothing else of ``data``."""
