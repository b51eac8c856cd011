"""What several tests (and the bench) share: accounts and a notes store, upload files, the app server,
pages opened as staff, a throwaway PostgreSQL server, and the marker for tests that need the raw inputs."""
