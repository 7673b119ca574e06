"""Dialogs opened from the views, one module each."""
