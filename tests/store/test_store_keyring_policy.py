"""Fail closed: no secure keyring, no cache (DESIGN.md §3). Every refusal says what to do, and
leaves nothing on disk."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.backends.chainer import ChainerBackend

from center_desk.store import (
    InsecureKeyringError,
    KeyStore,
    ensure_secure_backend,
    open_cache,
)


class PlaintextKeyring(KeyringBackend):
    """Mimics ``keyrings.alt.file.PlaintextKeyring`` by module and class name (keyrings.alt is
    not a dependency and must never become one). ``viable`` is False so that keyring's own
    detection never picks it up in this process."""

    __module__ = "keyrings.alt.file"
    viable = False
    priority = 0.5  # keyrings.alt's own: above zero, so only the name gives it away

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[service, username] = password


class UnrecommendedKeyring(KeyringBackend):
    """A third-party backend that keyring itself ranks as not recommended (priority 0)."""

    __module__ = "some_vendor.keyring"
    viable = False
    priority = 0

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        return None


class InsecureChain(ChainerBackend):
    """A chain of backends none of which can keep a secret."""

    viable = False
    backends = [PlaintextKeyring(), fail.Keyring()]  # noqa: RUF012 (keyring's classproperty)


INSECURE_BACKENDS = {
    "fail": fail.Keyring(),
    "null": null.Keyring(),
    "plaintext file": PlaintextKeyring(),
    "priority 0": UnrecommendedKeyring(),
    "chain without a secure member": InsecureChain(),
}


@pytest.mark.parametrize("backend", INSECURE_BACKENDS.values(), ids=INSECURE_BACKENDS.keys())
def test_an_insecure_backend_is_refused(backend: KeyringBackend, tmp_path: Path) -> None:
    path = tmp_path / "center-desk" / "desk-cache.db"
    with pytest.raises(InsecureKeyringError) as raised:
        open_cache(path, KeyStore(backend))

    message = str(raised.value)
    assert type(backend).__name__ in message  # which backend
    assert "refuses" in message  # what the desk does about it
    assert "keyrings.alt" in message  # what never to configure
    if sys.platform.startswith("linux"):
        assert "gnome-keyring" in message and "desktop session" in message
    assert raised.value.backend_name.endswith(type(backend).__qualname__)
    assert not path.exists() and not path.parent.exists()


def test_ensure_secure_backend_refuses_the_same(tmp_path: Path) -> None:
    for backend in INSECURE_BACKENDS.values():
        with pytest.raises(InsecureKeyringError):
            ensure_secure_backend(backend)


@pytest.mark.keyring
def test_a_chain_is_narrowed_to_its_secure_member(secret_service: KeyringBackend) -> None:
    plaintext = PlaintextKeyring()

    class MixedChain(ChainerBackend):
        viable = False
        backends = [secret_service, plaintext]  # noqa: RUF012 (keyring's classproperty)

    # Used as a chain, a read would fall through to the plaintext member.
    assert ensure_secure_backend(MixedChain()) is secret_service
    store = KeyStore(MixedChain())
    store.create_key("chain-test")
    try:
        assert plaintext.secrets == {}
    finally:
        store.delete_key("chain-test")


@pytest.mark.keyring
def test_the_real_secret_service_is_accepted(secret_service: KeyringBackend) -> None:
    assert ensure_secure_backend(secret_service) is secret_service
    assert KeyStore().backend_name == KeyStore(secret_service).backend_name
