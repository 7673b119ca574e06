"""空き状況 (availability): the grid and the view that holds the week and month grids."""

from .grid import FIRST_DAY_COLUMN, AvailabilityGrid
from .view import AvailabilityView

__all__ = ["FIRST_DAY_COLUMN", "AvailabilityGrid", "AvailabilityView"]
