"""The council-notes store: database and schema, accounts (``python -m notes.accounts``), notes, uploads
and exports. Importable without Streamlit; takes only the number of community areas from ``data``
(``data.areas``); area names are passed in."""
