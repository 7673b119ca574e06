"""抽選・先着 (lottery and first-come by proxy): the view, its day and its application."""

from .view import ProxyView

__all__ = ["ProxyView"]
