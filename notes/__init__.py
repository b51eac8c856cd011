"""The council-notes store: tables and seed codebook (schema), engine and migrations (db), accounts and their
command line (accounts, accounts_cli; run as ``python -m notes.accounts``), notes and search (store), uploads
(uploads, with readers for each file type, places for matching area and theme names, redact for contact details)
and exports (export). Importable without Streamlit; knows area numbers and names (passed in), nothing else of
``data``."""
