"""Test and benchmark harness: start and stop the app server (``streamlit run`` on a free local port) and a
throwaway PostgreSQL server. Used by ``tests/`` and ``bench/``; never imported by the app. Imports only
``settings`` of the project."""
