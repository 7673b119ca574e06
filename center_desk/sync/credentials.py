"""The device token, in the OS keyring next to the cache key (never in settings or logs)."""

from __future__ import annotations

import contextlib

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from center_desk.store import KEYRING_SERVICE, ensure_secure_backend
from center_desk.store.keys import default_backend


def _username(device_id: str) -> str:
    return f"device-token:{device_id}"


class DeviceCredentials:
    def __init__(self, backend: KeyringBackend | None = None) -> None:
        # Refuses fail/null/plaintext backends, as the cache key does (DESIGN.md §3).
        self._backend = ensure_secure_backend(backend or default_backend())

    def token(self, device_id: str) -> str | None:
        return self._backend.get_password(KEYRING_SERVICE, _username(device_id))

    def store(self, device_id: str, token: str) -> None:
        self._backend.set_password(KEYRING_SERVICE, _username(device_id), token)

    def forget(self, device_id: str) -> None:
        with contextlib.suppress(PasswordDeleteError):
            self._backend.delete_password(KEYRING_SERVICE, _username(device_id))


class MemoryCredentials:
    """For ``--demo`` only: the embedded backend is thrown away with the process anyway."""

    def __init__(self) -> None:
        self._tokens: dict[str, str] = {}

    def token(self, device_id: str) -> str | None:
        return self._tokens.get(device_id)

    def store(self, device_id: str, token: str) -> None:
        self._tokens[device_id] = token

    def forget(self, device_id: str) -> None:
        self._tokens.pop(device_id, None)
