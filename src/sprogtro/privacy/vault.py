"""The key vault: the one place that knows which surrogate stands for which original.

Operators keep no state; consistency (one original → one surrogate, across the whole corpus and across
runs) lives here. The key file is a SQLite database in which every entry is encrypted on its own, so a
corpus of any size is served from disk with a small, fixed amount of memory:

    meta(name, value)      format, version, scrypt parameters (n, r, p), 16-byte salt, and the HMAC key
                           encrypted with AES-256-GCM (a wrong passphrase fails its tag)
    entries(kid, type, sid, oid, secret)
                           kid    = HMAC(type, original): the lookup key, never the original
                           sid    = HMAC(surrogate), oid = HMAC(original): uniqueness checks without
                                    decrypting anything
                           secret = nonce | AES-256-GCM([original, surrogate]), the kid as associated data
    counters(type, n)      the running numbers of ``[TYPE_n]`` tags

The AES key comes from the passphrase through scrypt (n=2**15, r=8, p=1, random salt per file). A wrong
passphrase, or an entry that was modified or moved to another row, raises :class:`VaultError`. Nothing
here logs or prints an original.

A new vault lives in a private temporary database until its first :meth:`KeyVault.save`, which copies it
to the key file atomically; after that, :meth:`save` is a commit. Key files written by sprogtro before
this format (``SPROGKV1``: one encrypted JSON blob) are converted in place when opened.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import sqlite3
import struct
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from sprogtro.errors import VaultError

FORMAT = "sprogtro-key-vault"
VERSION = 2
SQLITE_MAGIC = b"SQLite format 3\x00"
LEGACY_MAGIC = b"SPROGKV1"  # version 1: header + one AES-GCM blob of JSON
_LEGACY_HEADER = struct.Struct(">8sBBBB16s12s")
SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P = 15, 8, 1
PATH_TYPE = "PATH"  # entries for renamed file and folder names (see sprogtro.privacy.paths)
_HMAC_KEY_AAD = b"sprogtro-key-vault hmac key"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
    kid TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    sid TEXT NOT NULL,
    oid TEXT,
    secret BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_sid ON entries (sid);
CREATE INDEX IF NOT EXISTS entries_oid ON entries (oid);
CREATE TABLE IF NOT EXISTS counters (type TEXT PRIMARY KEY, n INTEGER NOT NULL);
"""


def _derive(passphrase: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=2**log2_n, r=r, p=p).derive(passphrase.encode("utf-8"))


def _connect(target: str) -> sqlite3.Connection:
    # "" is SQLite's private temporary database: on disk, deleted on close, so even a vault that is never
    # saved does not grow in memory. One writer at a time; a second run on the same key file waits.
    conn = sqlite3.connect(target, timeout=60, isolation_level="DEFERRED")
    conn.execute("PRAGMA foreign_keys = OFF")
    return conn


class KeyVault:
    """Surrogates for originals, per entity type; injective (no two originals share a surrogate)."""

    def __init__(self, *, path: Path | None = None, aes_key: bytes | None = None, salt: bytes | None = None,
                 hmac_key: bytes | None = None, log2_n: int = SCRYPT_LOG2_N,
                 conn: sqlite3.Connection | None = None) -> None:
        self.path = path
        self._aes_key = aes_key or secrets.token_bytes(32)
        self._aead = AESGCM(self._aes_key)
        self._salt = salt or secrets.token_bytes(16)
        self._log2_n = log2_n
        self._hmac_key = hmac_key or secrets.token_bytes(32)
        self._on_disk = conn is not None  # False until the first save copies the database to ``path``
        self._conn = conn if conn is not None else _connect("")
        self._conn.executescript(_SCHEMA)
        if not self._on_disk:
            self._write_meta()
        self._avoid: frozenset[str] = frozenset()
        self.dirty = False

    # -- construction -------------------------------------------------------------------------------
    @classmethod
    def ephemeral(cls) -> "KeyVault":
        """A vault with a one-off key and no file (a run without a key file: no way back to the originals)."""
        return cls()

    @classmethod
    def create(cls, path: str | Path, passphrase: str, *, log2_n: int = SCRYPT_LOG2_N) -> "KeyVault":
        """A new vault for ``path``; nothing is written until :meth:`save`."""
        if not passphrase:
            raise VaultError("empty passphrase: set SPROGTRO_PASSPHRASE or type one at the prompt")
        salt = secrets.token_bytes(16)
        vault = cls(path=Path(path), aes_key=_derive(passphrase, salt, log2_n, SCRYPT_R, SCRYPT_P), salt=salt,
                    log2_n=log2_n)
        vault.dirty = True
        return vault

    @classmethod
    def open(cls, path: str | Path, passphrase: str) -> "KeyVault":
        path = Path(path)
        try:
            with open(path, "rb") as fh:
                head = fh.read(len(SQLITE_MAGIC))
        except OSError as exc:
            raise VaultError(f"cannot read key file {path}: {exc.strerror or exc.__class__.__name__}") from None
        if head.startswith(LEGACY_MAGIC):
            _convert_legacy(path, passphrase)
        elif head != SQLITE_MAGIC:
            raise VaultError(f"{path} is not a sprogtro key file")
        try:
            conn = _connect(str(path))
            meta = dict(conn.execute("SELECT name, value FROM meta"))
        except sqlite3.DatabaseError:
            raise VaultError(f"{path} is not a sprogtro key file, or it is damaged") from None
        if meta.get("format") != FORMAT:
            conn.close()
            raise VaultError(f"{path} is not a sprogtro key file")
        if int(meta.get("version", 0)) != VERSION:
            conn.close()
            raise VaultError(f"{path}: key file version {meta.get('version')} is not supported "
                             f"(this sprogtro reads {VERSION})")
        kdf = json.loads(meta["kdf"])
        salt = bytes(meta["salt"])
        aes_key = _derive(passphrase, salt, kdf["log2_n"], kdf["r"], kdf["p"])
        blob = bytes(meta["hmac_key"])
        try:
            hmac_key = AESGCM(aes_key).decrypt(blob[:12], blob[12:], _HMAC_KEY_AAD + salt)
        except InvalidTag:
            conn.close()
            raise VaultError(f"wrong passphrase for key file {path} (or the file was modified)") from None
        return cls(path=path, aes_key=aes_key, salt=salt, hmac_key=hmac_key, log2_n=kdf["log2_n"], conn=conn)

    @classmethod
    def open_or_create(cls, path: str | Path, passphrase: str) -> "KeyVault":
        return cls.open(path, passphrase) if Path(path).exists() else cls.create(path, passphrase)

    # -- use -----------------------------------------------------------------------------------------
    def key_id(self, entity_type: str, original: str) -> str:
        """Stable keyed-HMAC id of an original (hex)."""
        return hmac.new(self._hmac_key, f"{entity_type}\x1f{original}".encode(), hashlib.sha256).hexdigest()[:32]

    def seed(self, entity_type: str, original: str, attempt: int = 0) -> int:
        """A stable pseudo-random integer for choosing a surrogate (attempt > 0 after a collision)."""
        return int(self.key_id(entity_type, f"{original}\x1e{attempt}"), 16)

    def lookup(self, entity_type: str, original: str) -> str | None:
        return self._surrogate_of(self.key_id(entity_type, original))

    def surrogate(self, entity_type: str, original: str, make: Callable[[int, int], str]) -> str:
        """The surrogate for ``original``; new ones come from ``make(seed, attempt)`` until unused."""
        kid = self.key_id(entity_type, original)
        known = self._surrogate_of(kid)
        if known is not None:
            return known
        for attempt in range(1000):
            candidate = make(self.seed(entity_type, original, attempt), attempt)
            if candidate != original and candidate not in self._avoid and not self._is_taken(candidate):
                return self._add(kid, entity_type, original, candidate)
        raise VaultError(f"no free surrogate for a {entity_type} after 1000 tries")

    @contextmanager
    def avoiding(self, words: Iterable[str]) -> Iterator[None]:
        """While active, new surrogates avoid ``words`` (the originals of the text being replaced) and
        their genitives: next to "Peter", the surname "Peters" would read as the original name."""
        words = frozenset(words)
        previous, self._avoid = self._avoid, words | {w + "s" for w in words} | {w + "'" for w in words}
        try:
            yield
        finally:
            self._avoid = previous

    def tag(self, entity_type: str, original: str) -> str:
        """A numbered tag ("[PERSON_3]"), the same for the same original."""
        def make(_seed: int, _attempt: int) -> str:
            row = self._conn.execute("SELECT n FROM counters WHERE type = ?", (entity_type,)).fetchone()
            n = (row[0] if row else 0) + 1
            self._conn.execute("INSERT OR REPLACE INTO counters (type, n) VALUES (?, ?)", (entity_type, n))
            return f"[{entity_type}_{n}]"
        return self.surrogate(f"tag:{entity_type}", original, make)

    def remember_path(self, original: str, candidate: str) -> str:
        """The pseudonymized form of a file or folder name: ``candidate`` the first time (made unique
        among path names with "_2", "_3" …), the remembered one ever after. Unlike :meth:`surrogate`
        it may equal a name surrogate: a file called "Mette.txt" becomes "Hanne.txt"."""
        kid = self.key_id(PATH_TYPE, original)
        known = self._surrogate_of(kid)
        if known is not None:
            return known
        value, n = candidate, 2
        while self._conn.execute("SELECT 1 FROM entries WHERE sid = ? AND type = ?",
                                 (self._sid(value), PATH_TYPE)).fetchone():
            value, n = f"{candidate}_{n}", n + 1
        # No oid: a file name's original may be handed out as a surrogate (it is no person's name).
        self._insert(kid, PATH_TYPE, original, value, oid=None)
        return value

    def entries(self, entity_type: str) -> list[tuple[str, str]]:
        """(original, surrogate) of one entity type, oldest first. Handle with care."""
        rows = self._conn.execute("SELECT kid, secret FROM entries WHERE type = ? ORDER BY rowid", (entity_type,))
        return [self._open_secret(kid, secret) for kid, secret in rows]

    def __len__(self) -> int:
        return self._conn.execute("SELECT count(*) FROM entries").fetchone()[0]

    def originals_by_surrogate(self) -> dict[str, tuple[str, str]]:
        """surrogate → (entity type, original): what ``reidentify`` needs. Handle with care. (A file
        name that is only a name shares its surrogate with that name; the name entry wins.)"""
        rows = self._conn.execute("SELECT kid, type, secret FROM entries ORDER BY type != ?, rowid", (PATH_TYPE,))
        table = {}
        for kid, entity_type, secret in rows:
            original, surrogate = self._open_secret(kid, secret)
            table[surrogate] = (entity_type, original)
        return table

    # -- storage -------------------------------------------------------------------------------------
    def _sid(self, surrogate: str) -> str:
        return self.key_id("sprogtro-surrogate", surrogate)

    def _oid(self, original: str) -> str:
        return self.key_id("sprogtro-original", original)

    def _is_taken(self, candidate: str) -> bool:
        """Already some entry's surrogate, or some entry's original (never hand out a real identifier)."""
        return self._conn.execute("SELECT 1 FROM entries WHERE sid = ? OR oid = ? LIMIT 1",
                                  (self._sid(candidate), self._oid(candidate))).fetchone() is not None

    def _surrogate_of(self, kid: str) -> str | None:
        row = self._conn.execute("SELECT secret FROM entries WHERE kid = ?", (kid,)).fetchone()
        return self._open_secret(kid, row[0])[1] if row else None

    def _add(self, kid: str, entity_type: str, original: str, surrogate: str) -> str:
        self._insert(kid, entity_type, original, surrogate, oid=self._oid(original))
        return surrogate

    def _insert(self, kid: str, entity_type: str, original: str, surrogate: str, oid: str | None) -> None:
        nonce = secrets.token_bytes(12)
        plain = json.dumps([original, surrogate], ensure_ascii=False).encode("utf-8")
        secret = nonce + self._aead.encrypt(nonce, plain, kid.encode("ascii"))
        self._conn.execute("INSERT INTO entries (kid, type, sid, oid, secret) VALUES (?, ?, ?, ?, ?)",
                           (kid, entity_type, self._sid(surrogate), oid, secret))
        self.dirty = True

    def _open_secret(self, kid: str, secret: bytes) -> tuple[str, str]:
        secret = bytes(secret)
        try:
            plain = self._aead.decrypt(secret[:12], secret[12:], kid.encode("ascii"))
        except InvalidTag:
            raise VaultError(f"key file {self.path}: an entry was modified; the file cannot be trusted") from None
        original, surrogate = json.loads(plain.decode("utf-8"))
        return original, surrogate

    def _write_meta(self) -> None:
        nonce = secrets.token_bytes(12)
        wrapped = nonce + self._aead.encrypt(nonce, self._hmac_key, _HMAC_KEY_AAD + self._salt)
        kdf = json.dumps({"name": "scrypt", "log2_n": self._log2_n, "r": SCRYPT_R, "p": SCRYPT_P})
        self._conn.executemany("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)",
                               [("format", FORMAT), ("version", VERSION), ("kdf", kdf),
                                ("salt", self._salt), ("hmac_key", wrapped)])

    # -- persistence ---------------------------------------------------------------------------------
    def save(self) -> None:
        """Make every entry so far durable in the key file (no-op for an ephemeral vault). The first save
        writes the whole file atomically; later saves commit."""
        if self.path is None:
            self._conn.commit()
            return
        try:
            if self._on_disk:
                self._conn.commit()
            else:
                self._copy_to_path()
        except (OSError, sqlite3.Error) as exc:
            reason = getattr(exc, "strerror", None) or str(exc) or exc.__class__.__name__
            raise VaultError(f"cannot write key file {self.path}: {reason}") from None
        self.dirty = False

    def _copy_to_path(self) -> None:
        self._conn.commit()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".sprogtro-key-", dir=self.path.parent)
        os.close(fd)
        try:
            os.chmod(tmp, 0o600)  # before a single byte of key material lands in it
            target = sqlite3.connect(tmp)
            try:
                self._conn.backup(target)
            finally:
                target.close()
            os.replace(tmp, self.path)
        finally:
            Path(tmp).unlink(missing_ok=True)
        self._conn.close()
        self._conn = _connect(str(self.path))
        self._on_disk = True

    def close(self) -> None:
        """Commit what is pending (when the vault has a file) and close the database."""
        if self.path is not None and self._on_disk:
            self._conn.commit()
        self._conn.close()

    # -- the way back ---------------------------------------------------------------------------------
    def reidentify(self, text: str) -> str:
        """Replace every surrogate in ``text`` by its original (possessive -s kept: "Hannes" → "Mettes")."""
        table = self.originals_by_surrogate()
        if not table:
            return text
        alts = "|".join(re.escape(s) for s in sorted(table, key=len, reverse=True))
        pattern = re.compile(rf"(?<![\w])(?P<w>{alts})(?P<suf>s|')?(?![\w])")

        def back(m: re.Match) -> str:
            original = table[m.group("w")][1]
            if not m.group("suf"):
                return original
            return original + ("'" if original[-1:] in ("s", "x", "z") else "s")

        return pattern.sub(back, text)

    def reidentify_path(self, path: str) -> str:
        """The original of a relative posix path written by ``pseudonymize`` or stored as a ``doc_id``:
        every folder or file name renamed by :meth:`Pseudonymizer.pseudonymize_path` comes back whole
        ("aarhus/notat_Hanne_2023.txt" → "aarhus/notat_Mette_2023.txt"); the suffix and the output's
        ".txt" stay as they are."""
        from sprogtro.privacy.paths import split_suffix

        table = {s: o for o, s in self.entries(PATH_TYPE)}
        parts = path.split("/")
        out = []
        for i, part in enumerate(parts):
            if part in table:
                out.append(table[part])
                continue
            stem, suffix = split_suffix(part) if i == len(parts) - 1 else (part, "")
            out.append(table.get(stem, stem) + suffix)
        return "/".join(out)


def _convert_legacy(path: Path, passphrase: str) -> None:
    """Rewrite a version-1 key file (one encrypted JSON blob) as a version-2 database, in place and
    atomically; entries keep their ids, surrogates and order, so earlier outputs stay re-identifiable."""
    blob = path.read_bytes()
    if len(blob) < _LEGACY_HEADER.size:
        raise VaultError(f"{path} is not a sprogtro key file")
    _, version, log2_n, r, p, salt, nonce = _LEGACY_HEADER.unpack(blob[: _LEGACY_HEADER.size])
    if version != 1:
        raise VaultError(f"{path}: key file version {version} is not supported (this sprogtro reads {VERSION})")
    aes_key = _derive(passphrase, salt, log2_n, r, p)
    try:
        plain = AESGCM(aes_key).decrypt(nonce, blob[_LEGACY_HEADER.size :], blob[: _LEGACY_HEADER.size])
    except InvalidTag:
        raise VaultError(f"wrong passphrase for key file {path} (or the file was modified)") from None
    payload = json.loads(plain.decode("utf-8"))
    vault = KeyVault(path=path, aes_key=aes_key, salt=salt, hmac_key=base64.b64decode(payload["hmac_key"]),
                     log2_n=log2_n)
    for kid, entry in payload["entries"].items():
        oid = None if entry["t"] == PATH_TYPE else vault._oid(entry["o"])
        vault._insert(kid, entry["t"], entry["o"], entry["s"], oid=oid)
    vault._conn.executemany("INSERT INTO counters (type, n) VALUES (?, ?)", payload.get("counters", {}).items())
    vault.save()
    vault.close()
