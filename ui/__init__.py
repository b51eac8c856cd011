"""Streamlit building blocks shared by the pages (tables, pickers). Logic stays in data/ and geo/."""
