"""Wire schemas shared by the desk and the backend (STYLE.md §8).

``API_VERSION`` travels in every request's ``X-Center-Desk-Api`` header, so an old desk can talk
to a newer backend: the backend accepts every version from ``MIN_API_VERSION`` up.
"""

from .common import API_VERSION, API_VERSION_HEADER, MIN_API_VERSION, ErrorBody, FieldError

__all__ = ["API_VERSION", "API_VERSION_HEADER", "MIN_API_VERSION", "ErrorBody", "FieldError"]
