"""The cache key read straight from the Secret Service (issue 13,
center_desk/store/secret_service.py): the same answers as keyring's SecretService backend, from
the real gnome-keyring of tests/run.sh, and keyring's answer whenever the direct read cannot be
sure."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from keyring.backends import SecretService
from secretstorage.dhcrypto import Session

from center_desk.store import KeyStore
from center_desk.store import secret_service as direct
from center_desk.store.keys import KEYRING_SERVICE

COLLECTION = "/org/freedesktop/secrets/collection/login"


@pytest.fixture
def entries(secret_service: SecretService.Keyring) -> Iterator[list[str]]:
    """Entry names of this test (removed from the keyring afterwards)."""
    names: list[str] = []
    yield names
    for name in names:
        if secret_service.get_password(KEYRING_SERVICE, name) is not None:
            secret_service.delete_password(KEYRING_SERVICE, name)


def _name(entries: list[str]) -> str:
    name = f"test-direct-read:{secrets.token_hex(6)}"
    entries.append(name)
    return name


# --- which item: keyring decides every case but one ---------------------------------------


def test_only_one_unlocked_match_in_the_default_collection_is_read_directly() -> None:
    mine = f"{COLLECTION}/7"
    elsewhere = "/org/freedesktop/secrets/collection/other/3"
    assert direct.only_item(COLLECTION, [mine], []) == mine
    assert direct.only_item(COLLECTION, [elsewhere, mine], []) == mine
    # No default collection, nothing found, only elsewhere: keyring decides.
    assert direct.only_item("/", [mine], []) is None
    assert direct.only_item("", [mine], []) is None
    assert direct.only_item(COLLECTION, [], []) is None
    assert direct.only_item(COLLECTION, [elsewhere], []) is None
    # Locked (keyring unlocks or prompts), several (keyring picks): keyring decides.
    assert direct.only_item(COLLECTION, [], [mine]) is None
    assert direct.only_item(COLLECTION, [mine], [f"{COLLECTION}/8"]) is None
    assert direct.only_item(COLLECTION, [mine, f"{COLLECTION}/8"], []) is None
    # A collection whose name starts like the default one is another collection.
    assert direct.only_item(COLLECTION, [f"{COLLECTION}2/1"], []) is None


# --- the session's key exchange and the secret's encryption -----------------------------------


def test_the_session_key_is_the_one_secretstorage_derives_from_the_same_exchange() -> None:
    """Our half against secretstorage's (which gnome-keyring and libsecret agree with)."""
    for _ in range(5):
        ours = direct.KeyExchange()
        theirs = Session()
        theirs.set_server_public_key(ours.public)
        assert ours.aes_key(theirs.my_public_key.to_bytes(128, "big")) == theirs.aes_key
    assert 1 << 255 <= ours._private < 1 << 256


def test_a_server_value_outside_the_group_gives_no_key() -> None:
    exchange = direct.KeyExchange()
    for bad in (0, 1, direct.DH_PRIME - 1, direct.DH_PRIME, direct.DH_PRIME + 5):
        assert exchange.aes_key(bad.to_bytes(129, "big")) is None


def test_bad_padding_or_lengths_decrypt_to_nothing() -> None:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    key, iv = secrets.token_bytes(16), secrets.token_bytes(16)

    def encrypt(padded: bytes) -> bytes:
        encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
        return encryptor.update(padded) + encryptor.finalize()

    assert direct.decrypt(key, iv, encrypt(b"secret" + bytes([10]) * 10)) == b"secret"
    assert direct.decrypt(key, iv, encrypt(b"secret" + bytes([9]) * 9 + bytes([10]))) is None
    assert direct.decrypt(key, iv, encrypt(b"secret9890" + bytes([0]) * 6)) is None
    assert direct.decrypt(key, iv, encrypt(b"x" * 15 + bytes([17]))) is None
    assert direct.decrypt(key, iv[:8], encrypt(b"secret" + bytes([10]) * 10)) is None
    assert direct.decrypt(key, iv, b"") is None
    assert direct.decrypt(key, iv, b"\0" * 15) is None


# --- against the real Secret Service -----------------------------------------------------------


@pytest.mark.keyring
def test_the_direct_read_answers_what_keyring_answers(
    secret_service: SecretService.Keyring, entries: list[str]
) -> None:
    values = ["ab" * 32, "小平市地域センター", "x", "p" * 1000, "a'b\"c\\d\n"]
    for value in values:
        name = _name(entries)
        secret_service.set_password(KEYRING_SERVICE, name, value)
        attributes = secret_service._query(KEYRING_SERVICE, name)
        assert direct.read_unlocked_secret(attributes) == value
        assert secret_service.get_password(KEYRING_SERVICE, name) == value
    # Replaced: the new value, not the old one.
    name = entries[0]
    secret_service.set_password(KEYRING_SERVICE, name, "cd" * 32)
    assert direct.read_unlocked_secret(secret_service._query(KEYRING_SERVICE, name)) == "cd" * 32


@pytest.mark.keyring
def test_an_absent_entry_is_left_to_keyring_which_says_absent(
    secret_service: SecretService.Keyring, entries: list[str]
) -> None:
    name = _name(entries)
    assert direct.read_unlocked_secret(secret_service._query(KEYRING_SERVICE, name)) is None
    assert KeyStore(secret_service).read_secret(name) is None


@pytest.mark.keyring
def test_the_key_store_reads_directly_and_asks_keyring_only_when_it_must(
    secret_service: SecretService.Keyring,
    entries: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    present, absent = _name(entries), _name(entries)
    secret_service.set_password(KEYRING_SERVICE, present, "ef" * 32)
    store = KeyStore(secret_service)
    asked: list[str] = []
    original = SecretService.Keyring.get_password

    def counted(self: SecretService.Keyring, service: str, username: str) -> str | None:
        asked.append(username)
        return original(self, service, username)

    monkeypatch.setattr(SecretService.Keyring, "get_password", counted)
    assert store.read_secret(present) == "ef" * 32
    assert asked == []  # read directly
    assert store.read_secret(absent) is None
    assert asked == [absent]  # keyring confirmed the absence


@pytest.mark.keyring
def test_another_attribute_scheme_is_read_with_its_own_names(
    entries: list[str],
) -> None:
    """keyring's scheme decides the attributes' names; the direct read uses keyring's own."""
    backend = SecretService.Keyring()
    backend.scheme = "KeePassXC"
    name = _name(entries)
    backend.set_password(KEYRING_SERVICE, name, "0f" * 32)
    try:
        assert backend._query(KEYRING_SERVICE, name) == {"UserName": name, "Title": KEYRING_SERVICE}
        assert KeyStore(backend).read_secret(name) == "0f" * 32
        assert direct.read_unlocked_secret(backend._query(KEYRING_SERVICE, name)) == "0f" * 32
    finally:
        backend.delete_password(KEYRING_SERVICE, name)


@pytest.mark.keyring
def test_a_preferred_collection_is_left_to_keyring(secret_service: SecretService.Keyring) -> None:
    backend = SecretService.Keyring()
    backend.preferred_collection = COLLECTION
    assert KeyStore(backend)._attributes is None
    assert KeyStore(secret_service)._attributes is not None


def test_no_session_bus_is_left_to_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
    assert direct.read_unlocked_secret({"service": KEYRING_SERVICE, "username": "x"}) is None


@pytest.mark.keyring
def test_an_error_reply_in_the_batch_is_left_to_keyring(
    secret_service: SecretService.Keyring, entries: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bus answers with an error (here: nobody owns the name asked for, as while the
    keyring daemon restarts): the direct read gives up and keyring answers."""
    name = _name(entries)
    secret_service.set_password(KEYRING_SERVICE, name, "12" * 32)
    monkeypatch.setattr(direct, "BUS_NAME", "org.example.nobody.here")
    assert direct.read_unlocked_secret(secret_service._query(KEYRING_SERVICE, name)) is None
    assert KeyStore(secret_service).read_secret(name) == "12" * 32
