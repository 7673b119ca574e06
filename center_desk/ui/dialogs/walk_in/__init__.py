"""直前予約 (walk-in booking): the dialog, its pages, its day, who it is for, booking, and its
parts."""

from .dialog import WalkInDialog

__all__ = ["WalkInDialog"]
