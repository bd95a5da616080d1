"""Signing in and out, server-side sessions, passwords and the account page."""
