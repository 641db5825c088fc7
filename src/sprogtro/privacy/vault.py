"""The key vault: the one place that knows which surrogate stands for which original.

Operators keep no state; consistency (one original → one surrogate, across the whole corpus and across
runs) lives here. Entries are keyed by a keyed HMAC of (entity type, original), so ids are stable and
the lookup table never needs the original as a key. The surrogate → original mapping is written
encrypted:

    file = MAGIC (8 bytes "SPROGKV1") | version (1) | log2 n (1) | r (1) | p (1) | salt (16) | nonce (12)
           | AES-256-GCM(ciphertext of the JSON payload, associated data = everything before it)

The AES key comes from the passphrase through scrypt (n=2**15, r=8, p=1, random salt per file). A wrong
passphrase or a modified file fails the GCM tag check and raises :class:`VaultError`. Nothing here logs
or prints an original.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import struct
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from sprogtro.errors import VaultError

MAGIC = b"SPROGKV1"
VERSION = 1
_HEADER = struct.Struct(">8sBBBB16s12s")
SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P = 15, 8, 1
PATH_TYPE = "PATH"  # entries for renamed file and folder names (see sprogtro.privacy.paths)


def _derive(passphrase: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=2**log2_n, r=r, p=p).derive(passphrase.encode("utf-8"))


class KeyVault:
    """Surrogates for originals, per entity type; injective (no two originals share a surrogate)."""

    def __init__(self, *, path: Path | None = None, aes_key: bytes | None = None, salt: bytes | None = None,
                 hmac_key: bytes | None = None, log2_n: int = SCRYPT_LOG2_N) -> None:
        self.path = path
        self._aes_key = aes_key
        self._salt = salt
        self._log2_n = log2_n
        self._hmac_key = hmac_key or secrets.token_bytes(32)
        self._entries: dict[str, dict[str, str]] = {}  # hmac id → {"t": type, "o": original, "s": surrogate}
        self._by_surrogate: dict[str, str] = {}  # surrogate → hmac id
        self._counters: dict[str, int] = {}
        self._originals: set[str] = set()  # never hand out a surrogate that is itself an original
        self._avoid: frozenset[str] = frozenset()
        self.dirty = False

    # -- construction -------------------------------------------------------------------------------
    @classmethod
    def ephemeral(cls) -> "KeyVault":
        """A vault that lives in memory only (a run without a key file: no way back to the originals)."""
        return cls()

    @classmethod
    def create(cls, path: str | Path, passphrase: str, *, log2_n: int = SCRYPT_LOG2_N) -> "KeyVault":
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
            blob = path.read_bytes()
        except OSError as exc:
            raise VaultError(f"cannot read key file {path}: {exc.strerror or exc.__class__.__name__}") from None
        if len(blob) < _HEADER.size or blob[:8] != MAGIC:
            raise VaultError(f"{path} is not a sprogtro key file")
        _, version, log2_n, r, p, salt, nonce = _HEADER.unpack(blob[: _HEADER.size])
        if version != VERSION:
            raise VaultError(f"{path}: key file version {version} is not supported (this sprogtro reads {VERSION})")
        aes_key = _derive(passphrase, salt, log2_n, r, p)
        try:
            plain = AESGCM(aes_key).decrypt(nonce, blob[_HEADER.size :], blob[: _HEADER.size])
        except InvalidTag:
            raise VaultError(f"wrong passphrase for key file {path} (or the file was modified)") from None
        payload = json.loads(plain.decode("utf-8"))
        vault = cls(path=path, aes_key=aes_key, salt=salt, hmac_key=base64.b64decode(payload["hmac_key"]), log2_n=log2_n)
        vault._entries = payload["entries"]
        vault._counters = payload.get("counters", {})
        vault._by_surrogate = {e["s"]: k for k, e in vault._entries.items()}
        vault._originals = {e["o"] for e in vault._entries.values()}
        return vault

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
        entry = self._entries.get(self.key_id(entity_type, original))
        return entry["s"] if entry else None

    def surrogate(self, entity_type: str, original: str, make: Callable[[int, int], str]) -> str:
        """The surrogate for ``original``; new ones come from ``make(seed, attempt)`` until unused."""
        kid = self.key_id(entity_type, original)
        entry = self._entries.get(kid)
        if entry is not None:
            return entry["s"]
        for attempt in range(1000):
            candidate = make(self.seed(entity_type, original, attempt), attempt)
            if candidate not in self._by_surrogate and candidate not in self._originals and candidate not in self._avoid \
                    and candidate != original:
                return self._add(kid, entity_type, original, candidate)
        raise VaultError(f"no free surrogate for a {entity_type} after 1000 tries")

    @contextmanager
    def avoiding(self, words: Iterable[str]) -> Iterator[None]:
        """While active, new surrogates avoid ``words`` (the originals of the text being replaced)."""
        previous, self._avoid = self._avoid, frozenset(words)
        try:
            yield
        finally:
            self._avoid = previous

    def tag(self, entity_type: str, original: str) -> str:
        """A numbered tag ("[PERSON_3]"), the same for the same original."""
        def make(_seed: int, _attempt: int) -> str:
            self._counters[entity_type] = self._counters.get(entity_type, 0) + 1
            return f"[{entity_type}_{self._counters[entity_type]}]"
        return self.surrogate(f"tag:{entity_type}", original, make)

    def remember_path(self, original: str, candidate: str) -> str:
        """The pseudonymized form of a file or folder name: ``candidate`` the first time (made unique
        among path names with "_2", "_3" …), the remembered one ever after. Unlike :meth:`surrogate`
        it may equal a name surrogate: a file called "Mette.txt" becomes "Hanne.txt"."""
        kid = self.key_id(PATH_TYPE, original)
        entry = self._entries.get(kid)
        if entry is not None:
            return entry["s"]
        taken = {e["s"] for e in self._entries.values() if e["t"] == PATH_TYPE}
        value, n = candidate, 2
        while value in taken:
            value, n = f"{candidate}_{n}", n + 1
        self._entries[kid] = {"t": PATH_TYPE, "o": original, "s": value}
        self._by_surrogate.setdefault(value, kid)
        self.dirty = True
        return value

    def entries(self, entity_type: str) -> list[tuple[str, str]]:
        """(original, surrogate) of one entity type, oldest first. Handle with care."""
        return [(e["o"], e["s"]) for e in self._entries.values() if e["t"] == entity_type]

    def _add(self, kid: str, entity_type: str, original: str, surrogate: str) -> str:
        self._entries[kid] = {"t": entity_type, "o": original, "s": surrogate}
        self._by_surrogate[surrogate] = kid
        self._originals.add(original)
        self.dirty = True
        return surrogate

    def __len__(self) -> int:
        return len(self._entries)

    def originals_by_surrogate(self) -> dict[str, tuple[str, str]]:
        """surrogate → (entity type, original): what ``reidentify`` needs. Handle with care. (A file
        name that is only a name shares its surrogate with that name; the name entry wins.)"""
        ordered = sorted(self._entries.values(), key=lambda e: e["t"] != PATH_TYPE)
        return {e["s"]: (e["t"], e["o"]) for e in ordered}

    # -- persistence ---------------------------------------------------------------------------------
    def save(self) -> None:
        """Write the encrypted vault atomically (no-op for an ephemeral vault)."""
        if self.path is None or self._aes_key is None or self._salt is None:
            return
        payload = {"format": "sprogtro-key-vault", "version": VERSION,
                   "hmac_key": base64.b64encode(self._hmac_key).decode("ascii"),
                   "entries": self._entries, "counters": self._counters}
        nonce = secrets.token_bytes(12)
        header = _HEADER.pack(MAGIC, VERSION, self._log2_n, SCRYPT_R, SCRYPT_P, self._salt, nonce)
        blob = header + AESGCM(self._aes_key).encrypt(nonce, json.dumps(payload).encode("utf-8"), header)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".sprogtro-key-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(blob)
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            raise VaultError(f"cannot write key file {self.path}: {exc.strerror or exc.__class__.__name__}") from None
        self.dirty = False

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

        table = {e["s"]: e["o"] for e in self._entries.values() if e["t"] == PATH_TYPE}
        parts = path.split("/")
        out = []
        for i, part in enumerate(parts):
            if part in table:
                out.append(table[part])
                continue
            stem, suffix = split_suffix(part) if i == len(parts) - 1 else (part, "")
            out.append(table.get(stem, stem) + suffix)
        return "/".join(out)
