"""The sync tests: the real backend (PostgreSQL), real desks (SQLCipher, Secret Service)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.backend_app import Backend, backend
from tests.support.desk import Desk, make_desk

__all__ = ["backend", "desks"]


@pytest.fixture
def desks(backend: Backend, tmp_path: Path) -> Iterator[Callable[..., Desk]]:
    made: list[Desk] = []

    def factory(name: str = "desk", **kwargs: object) -> Desk:
        desk = make_desk(backend, tmp_path / f"{name}.sqlcipher", **kwargs)  # type: ignore[arg-type]
        made.append(desk)
        return desk

    yield factory
    for desk in made:
        if not desk.cache.closed:
            desk.cache.close()
