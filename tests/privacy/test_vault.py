"""Key vault: encrypted round trip, wrong passphrase, tampering, stable HMAC ids, injectivity, the first
save, and conversion of version-1 key files."""

from __future__ import annotations

import base64
import json
import os
import secrets
import sqlite3
import subprocess
import sys

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from sprogtro.errors import VaultError
from sprogtro.privacy import vault as vault_module
from sprogtro.privacy.vault import SQLITE_MAGIC, KeyVault


def test_vault_round_trip_through_the_file(tmp_path):
    path = tmp_path / "key.enc"
    vault = KeyVault.create(path, "korrekt hest", log2_n=12)
    s = vault.surrogate("PERSON", "Mette", lambda seed, a: f"Navn{a}")
    vault.save()
    raw = path.read_bytes()
    assert raw.startswith(SQLITE_MAGIC) and b"Mette" not in raw and s.encode() not in raw
    again = KeyVault.open(path, "korrekt hest")
    assert again.lookup("PERSON", "Mette") == s
    assert again.key_id("PERSON", "Mette") == vault.key_id("PERSON", "Mette")
    assert again.reidentify(f"Hej {s}.") == "Hej Mette."


def test_vault_wrong_passphrase_is_a_clear_error(tmp_path):
    path = tmp_path / "key.enc"
    KeyVault.create(path, "rigtig", log2_n=12).save()
    with pytest.raises(VaultError, match="wrong passphrase"):
        KeyVault.open(path, "forkert")


def test_vault_rejects_foreign_and_tampered_files(tmp_path):
    foreign = tmp_path / "x.enc"
    foreign.write_bytes(b"not a vault at all, just bytes")
    with pytest.raises(VaultError, match="not a sprogtro key file"):
        KeyVault.open(foreign, "x")
    other_db = tmp_path / "other.db"
    sqlite3.connect(other_db).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(VaultError, match="not a sprogtro key file"):
        KeyVault.open(other_db, "x")
    path = tmp_path / "key.enc"
    vault = KeyVault.create(path, "pw", log2_n=12)
    vault.surrogate("PERSON", "Mette", lambda seed, a: "Hanne")
    vault.surrogate("PERSON", "Lone", lambda seed, a: "Pia")
    vault.save()
    vault.close()
    with sqlite3.connect(path) as db:  # swap two entries' secrets: each is bound to its own row
        (a, sa), (b, sb) = db.execute("SELECT kid, secret FROM entries").fetchall()
        db.execute("UPDATE entries SET secret = ? WHERE kid = ?", (sb, a))
        db.execute("UPDATE entries SET secret = ? WHERE kid = ?", (sa, b))
    with pytest.raises(VaultError, match="modified"):
        KeyVault.open(path, "pw").lookup("PERSON", "Mette")
    with sqlite3.connect(path) as db:
        blob = bytearray(db.execute("SELECT value FROM meta WHERE name = 'hmac_key'").fetchone()[0])
        blob[-1] ^= 1
        db.execute("UPDATE meta SET value = ? WHERE name = 'hmac_key'", (bytes(blob),))
    with pytest.raises(VaultError, match="wrong passphrase"):
        KeyVault.open(path, "pw")


def test_vault_writes_nothing_before_the_first_save_and_keeps_the_file_private(tmp_path):
    path = tmp_path / "keys" / "key.enc"
    vault = KeyVault.create(path, "pw", log2_n=12)
    vault.surrogate("PERSON", "Mette", lambda seed, a: "Hanne")
    assert not path.exists()
    vault.save()
    assert path.is_file() and (os.stat(path).st_mode & 0o777) == 0o600
    vault.surrogate("PERSON", "Lone", lambda seed, a: "Pia")  # after the first save: committed in place
    vault.save()
    vault.close()
    again = KeyVault.open(path, "pw")
    assert [again.lookup("PERSON", n) for n in ("Mette", "Lone")] == ["Hanne", "Pia"]
    assert len(again) == 2 and list(tmp_path.joinpath("keys").iterdir()) == [path]


def test_vault_a_killed_run_keeps_what_was_saved(tmp_path):
    path = tmp_path / "key.enc"
    script = (
        "import os, sys\n"
        "from sprogtro.privacy.vault import KeyVault\n"
        "vault = KeyVault.create(sys.argv[1], 'pw', log2_n=12)\n"
        "vault.surrogate('PERSON', 'Mette', lambda seed, a: 'Hanne')\n"
        "vault.save()\n"
        "vault.surrogate('PERSON', 'Lone', lambda seed, a: 'Pia')\n"
        "os._exit(0)\n"  # no close, no commit: as if killed
    )
    subprocess.run([sys.executable, "-c", script, str(path)], check=True)
    again = KeyVault.open(path, "pw")
    assert again.lookup("PERSON", "Mette") == "Hanne" and again.lookup("PERSON", "Lone") is None
    assert len(again) == 1


def _legacy_key_file(path, passphrase, entries, counters):
    """A key file as sprogtro wrote it before version 2: header | AES-GCM(JSON), built from its spec."""
    salt, nonce, hmac_key = secrets.token_bytes(16), secrets.token_bytes(12), secrets.token_bytes(32)
    aes_key = vault_module._derive(passphrase, salt, 12, 8, 1)
    probe = KeyVault(hmac_key=hmac_key)
    payload = {"format": "sprogtro-key-vault", "version": 1, "hmac_key": base64.b64encode(hmac_key).decode(),
               "entries": {probe.key_id(t, o): {"t": t, "o": o, "s": s} for t, o, s in entries},
               "counters": counters}
    header = vault_module._LEGACY_HEADER.pack(b"SPROGKV1", 1, 12, 8, 1, salt, nonce)
    path.write_bytes(header + AESGCM(aes_key).encrypt(nonce, json.dumps(payload).encode(), header))


def test_vault_converts_a_version_1_key_file_in_place(tmp_path):
    path = tmp_path / "old.enc"
    _legacy_key_file(path, "pw", [("PERSON", "Mette", "Hanne"), ("tag:CPR", "010203-1234", "[CPR_1]"),
                                  ("PATH", "notat_Mette", "notat_Hanne")], {"CPR": 1})
    with pytest.raises(VaultError, match="wrong passphrase"):
        KeyVault.open(path, "forkert")
    assert path.read_bytes().startswith(b"SPROGKV1")  # a failed open converts nothing
    vault = KeyVault.open(path, "pw")
    assert path.read_bytes().startswith(SQLITE_MAGIC)
    assert vault.lookup("PERSON", "Mette") == "Hanne"
    assert vault.tag("CPR", "010203-1234") == "[CPR_1]" and vault.tag("CPR", "020304-5678") == "[CPR_2]"
    assert vault.reidentify_path("aarhus/notat_Hanne.txt") == "aarhus/notat_Mette.txt"
    assert vault.surrogate("PERSON", "Lone", lambda seed, a: ["Hanne", "Mette", "Pia"][a]) == "Pia"


def test_vault_surrogates_never_reuse_an_original_even_across_types():
    vault = KeyVault.ephemeral()
    vault.surrogate("ORG", "Hanne", lambda seed, a: "Firma A")
    assert vault.surrogate("PERSON", "Mette", lambda seed, a: ["Hanne", "Firma A", "Pia"][a]) == "Pia"


def test_vault_surrogates_are_injective_and_consistent():
    vault = KeyVault.ephemeral()
    a = vault.surrogate("PERSON", "Mette", lambda seed, n: ["Hanne", "Pia", "Eva"][n])
    b = vault.surrogate("PERSON", "Lone", lambda seed, n: ["Hanne", "Pia", "Eva"][n])
    assert (a, b) == ("Hanne", "Pia")
    assert vault.surrogate("PERSON", "Mette", lambda seed, n: "other") == "Hanne"


def test_vault_hmac_ids_are_keyed():
    a, b = KeyVault.ephemeral(), KeyVault.ephemeral()
    assert a.key_id("PERSON", "Mette") == a.key_id("PERSON", "Mette")
    assert a.key_id("PERSON", "Mette") != b.key_id("PERSON", "Mette")


def test_vault_tags_number_per_type():
    vault = KeyVault.ephemeral()
    assert [vault.tag("PERSON", n) for n in ("A", "B", "A")] == ["[PERSON_1]", "[PERSON_2]", "[PERSON_1]"]
    assert vault.tag("CPR", "x") == "[CPR_1]"


def test_vault_reidentify_keeps_possessives():
    vault = KeyVault.ephemeral()
    vault.surrogate("PERSON", "Mette", lambda s, a: "Lars")
    vault.surrogate("PERSON", "Jens", lambda s, a: "Hanne")
    assert vault.reidentify("Lars' bil og Hannes cykel") == "Mettes bil og Jens' cykel"


def test_vault_empty_passphrase_refused(tmp_path):
    with pytest.raises(VaultError):
        KeyVault.create(tmp_path / "k.enc", "")


def test_vault_avoiding_also_avoids_the_genitive_of_the_words():
    # A flaky end-to-end failure: "Skov" of "Peter Skov" drew the surname "Peters", which reads as the
    # original "Peter" (and the evaluation counts it as one that survived).
    vault = KeyVault.ephemeral()
    with vault.avoiding({"Peter"}):
        got = vault.surrogate("PERSON", "Skov", lambda seed, a: ("Peters", "Peter'", "Bruhn")[min(a, 2)])
    assert got == "Bruhn"
