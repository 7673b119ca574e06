"""Fixtures for the backend's tests; the helpers live in tests/support/backend_app.py."""

from tests.support.backend_app import backend

__all__ = ["backend"]
