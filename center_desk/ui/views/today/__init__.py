"""本日 (today): the board, the counter's work on its bookings, and the view."""

from .board import allowed_actions, normalize_approval_number
from .view import TodayView

__all__ = ["TodayView", "allowed_actions", "normalize_approval_number"]
