"""The desk's encrypted cache: SQLCipher 4, its key in the OS keyring (DESIGN.md §3).

Typical use, on the worker thread that owns the cache (DESIGN.md §2)::

    cache = open_cache(data_dir / "desk-cache.db", KeyStore())
    with cache.transaction() as db:
        db.execute("INSERT INTO audit_events (at, kind, staff_id) VALUES (?, ?, ?)", ...)
    cache.close()

``KeyStore()`` raises :class:`InsecureKeyringError` when the OS offers no secure keyring: the
desk then refuses to run rather than keep the key anywhere else. :class:`CacheKeyMissing` and
:class:`CacheUnreadable` are the two cases a later step answers with an audited wipe
(:func:`wipe_cache`) and resync.

Imports only the stdlib, sqlcipher3 and keyring (and never Qt).
"""

from .connection import (
    Cache,
    cache_id_for,
    companion_paths,
    open_cache,
    require_sqlcipher,
    wipe_cache,
)
from .dbapi import (
    Connection,
    Cursor,
    DatabaseError,
    IntegrityError,
    OperationalError,
    Row,
    transaction,
)
from .errors import (
    CacheKeyMissing,
    CacheNotFound,
    CacheUnreadable,
    CacheWriteFailed,
    CipherUnavailable,
    DiskFull,
    InsecureKeyringError,
    KeyringUnavailable,
    MigrationFailed,
    SchemaTooNew,
    StoreError,
)
from .keys import (
    KEYRING_SERVICE,
    CacheKeyStore,
    EphemeralKeyStore,
    KeyStore,
    MalformedKey,
    ensure_secure_backend,
    key_username,
)
from .migration_step import Migration, sql_step
from .migrations import LATEST_VERSION, MIGRATIONS, migrate, schema_version

__all__ = [
    "KEYRING_SERVICE",
    "LATEST_VERSION",
    "MIGRATIONS",
    "Cache",
    "CacheKeyMissing",
    "CacheKeyStore",
    "CacheNotFound",
    "CacheUnreadable",
    "CacheWriteFailed",
    "CipherUnavailable",
    "Connection",
    "Cursor",
    "DatabaseError",
    "DiskFull",
    "EphemeralKeyStore",
    "InsecureKeyringError",
    "IntegrityError",
    "KeyStore",
    "KeyringUnavailable",
    "MalformedKey",
    "Migration",
    "MigrationFailed",
    "OperationalError",
    "Row",
    "SchemaTooNew",
    "StoreError",
    "cache_id_for",
    "companion_paths",
    "ensure_secure_backend",
    "key_username",
    "migrate",
    "open_cache",
    "require_sqlcipher",
    "schema_version",
    "sql_step",
    "transaction",
    "wipe_cache",
]
