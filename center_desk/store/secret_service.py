"""One secret read from the Secret Service in three round trips (issue 13).

The desk reads its cache key at every start. keyring's SecretService backend (through
secretstorage) spends eleven D-Bus round trips on one read (a connection, the default
collection and its lock state, a search, the item's lock state, an unlock, a session, the
secret), plus two modular exponentiations with 1,024-bit exponents for the session's key
exchange: together 90% of opening the cache. This module asks for the same secret with:

1. the connection to the session bus (its ``Hello``);
2. one pipelined batch: ``OpenSession`` with the encrypted algorithm
   ``dh-ietf1024-sha256-aes128-cbc-pkcs7`` (never the plain one: the secret does not cross the
   bus in clear), ``ReadAlias("default")`` and ``SearchItems``;
3. ``GetSecrets`` for the one item found.

It answers only the common case: exactly one matching item, unlocked, in the default
collection, over an encrypted session. Anything else (no default collection, a locked
collection or item, no match, several matches, a D-Bus error, a reply it does not understand)
gives ``None``, and the caller asks keyring, which unlocks, prompts and raises as it always
has. So this can make a read faster, never make it answer differently.

The key exchange uses the same group (RFC 2409's 1,024-bit MODP group, generator 2) and key
derivation (HKDF-SHA256, empty salt and info, 128-bit AES key) as secretstorage and libsecret,
with a 256-bit private exponent: NIST SP 800-56A asks for at least twice the group's security
strength (80 bits here), and OpenSSL sizes its exponents for the RFC 7919 groups the same way.
That makes each exponentiation four times cheaper than secretstorage's 1,024-bit one.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from secretstorage.dhcrypto import DH_PRIME_1024

BUS_NAME = "org.freedesktop.secrets"
SERVICE_PATH = "/org/freedesktop/secrets"
SERVICE_INTERFACE = "org.freedesktop.Secret.Service"
ALGORITHM = "dh-ietf1024-sha256-aes128-cbc-pkcs7"

#: RFC 2409 §6.2, the Second Oakley Group (the group of ``dh-ietf1024-…``), generator 2: the
#: prime as secretstorage (keyring's Secret Service client) has it.
DH_PRIME = DH_PRIME_1024
DH_GENERATOR = 2
PRIVATE_BITS = 256
_GROUP_BYTES = 128
#: How long each step may wait for the Secret Service before keyring is asked instead.
TIMEOUT_SECONDS = 5.0


class KeyExchange:
    """Our half of the session's Diffie-Hellman exchange and the AES key it yields."""

    def __init__(self) -> None:
        # The top bit set: every exponent has the full 256 bits of work and strength.
        self._private = secrets.randbits(PRIVATE_BITS) | (1 << (PRIVATE_BITS - 1))
        self.public = pow(DH_GENERATOR, self._private, DH_PRIME)

    def public_bytes(self) -> bytes:
        return self.public.to_bytes(_GROUP_BYTES, "big")

    def aes_key(self, server_public: bytes) -> bytes | None:
        """The session's AES-128 key, or None for a server value outside the group."""
        other = int.from_bytes(server_public, "big")
        if not 1 < other < DH_PRIME - 1:
            return None
        shared = pow(other, self._private, DH_PRIME).to_bytes(_GROUP_BYTES, "big")
        # HKDF-SHA256 (RFC 5869) with an empty salt and info, one block, cut to 128 bits:
        # what gnome-keyring, libsecret and secretstorage derive.
        pseudo_random_key = hmac.new(b"\0" * 32, shared, hashlib.sha256).digest()
        return hmac.new(pseudo_random_key, b"\x01", hashlib.sha256).digest()[:16]


def decrypt(aes_key: bytes, iv: bytes, ciphertext: bytes) -> bytes | None:
    """AES-128-CBC with PKCS #7 padding; None when the padding is not valid."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    if len(iv) != 16 or not ciphertext or len(ciphertext) % 16:
        return None
    decryptor = Cipher(algorithms.AES(aes_key), modes.CBC(iv)).decryptor()
    padded = decryptor.update(ciphertext) + decryptor.finalize()
    pad = padded[-1]
    if not 1 <= pad <= 16 or padded[-pad:] != bytes([pad]) * pad:
        return None
    return padded[:-pad]


def only_item(
    default_collection: str, unlocked: Sequence[str], locked: Sequence[str]
) -> str | None:
    """The item to read: the one match in the default collection, when it is unlocked; None
    whenever keyring should decide (it unlocks, prompts, or picks among several)."""
    if not default_collection or default_collection == "/":
        return None
    prefix = default_collection.rstrip("/") + "/"
    if any(path.startswith(prefix) for path in locked):
        return None
    mine = [path for path in unlocked if path.startswith(prefix)]
    return mine[0] if len(mine) == 1 else None


def read_unlocked_secret(attributes: Mapping[str, str]) -> str | None:
    """The secret of the one unlocked item matching ``attributes`` in the default collection,
    as text; None whenever the answer needs keyring (see the module's docstring)."""
    from jeepney.io.blocking import open_dbus_connection

    try:
        connection = open_dbus_connection("SESSION")
    except Exception:  # no session bus here: keyring says why
        return None
    try:
        return _read(connection, dict(attributes))
    except Exception:  # any failure on the fast path is keyring's to report
        return None
    finally:
        connection.close()


def _read(connection: Any, attributes: dict[str, str]) -> str | None:
    from jeepney import DBusAddress, new_method_call

    service = DBusAddress(SERVICE_PATH, BUS_NAME, SERVICE_INTERFACE)
    exchange = KeyExchange()
    opened, alias, found = _pipelined(
        connection,
        [
            new_method_call(
                service, "OpenSession", "sv", (ALGORITHM, ("ay", exchange.public_bytes()))
            ),
            new_method_call(service, "ReadAlias", "s", ("default",)),
            new_method_call(service, "SearchItems", "a{ss}", (attributes,)),
        ],
    )
    if opened is None or alias is None or found is None:
        return None
    (signature, server_public), session = opened
    (default_collection,) = alias
    unlocked, locked = found
    if signature != "ay":
        return None
    item = only_item(default_collection, unlocked, locked)
    if item is None:
        return None
    aes_key = exchange.aes_key(bytes(server_public))
    if aes_key is None:
        return None
    (replies,) = _pipelined(
        connection, [new_method_call(service, "GetSecrets", "aoo", ([item], session))]
    )
    if replies is None or item not in replies[0]:
        return None
    _session, iv, value, _content_type = replies[0][item]
    plain = decrypt(aes_key, bytes(iv), bytes(value))
    if plain is None:
        return None
    try:
        return plain.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _pipelined(connection: Any, messages: list[Any]) -> list[Any]:
    """Send every message, then collect each one's reply body (None for an error reply)."""
    from jeepney import HeaderFields, MessageType

    serials = []
    for message in messages:
        serial = next(connection.outgoing_serial)
        connection.send(message, serial=serial)
        serials.append(serial)
    bodies: dict[int, Any] = {}
    while len(bodies) < len(serials):
        reply = connection.receive(timeout=TIMEOUT_SECONDS)
        answered = reply.header.fields.get(HeaderFields.reply_serial)
        if answered not in serials or answered in bodies:
            continue  # a signal (NameAcquired) or another message: not ours
        is_error = reply.header.message_type == MessageType.error
        bodies[answered] = None if is_error else reply.body
    return [bodies[serial] for serial in serials]
