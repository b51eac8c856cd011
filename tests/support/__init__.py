"""What several tests share: accounts and a notes store, upload files, pages opened as staff, the committed
snapshot as the app reads it, and the marker for tests that need the raw inputs. The app server and the
throwaway PostgreSQL server, which the bench uses too, are in ``harness/``."""
