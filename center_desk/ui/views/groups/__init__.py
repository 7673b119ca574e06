"""団体 (groups): the view, showing a group and its details, the look-up at the reservation
system, registration and de-registration."""

from .deregister import DeregisterDialog
from .view import GroupsView

__all__ = ["DeregisterDialog", "GroupsView"]
