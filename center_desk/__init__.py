"""center-desk: the counter client for Kodaira's community centers (地域センター) and the
reservation backend it syncs with. See README.md and DESIGN.md for the layers."""

__version__ = "0.1.0"
