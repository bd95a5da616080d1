"""The home of each role, and the liveness probe."""
