"""団体 (groups): the view, a group's details, its de-registration."""

from .deregister import DeregisterDialog
from .view import GroupsView

__all__ = ["DeregisterDialog", "GroupsView"]
