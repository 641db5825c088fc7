"""Key vault: encrypted round trip, wrong passphrase, stable HMAC ids, injectivity, atomic save."""

from __future__ import annotations

import pytest

from sprogtro.errors import VaultError
from sprogtro.privacy.vault import MAGIC, KeyVault


def test_vault_round_trip_through_the_file(tmp_path):
    path = tmp_path / "key.enc"
    vault = KeyVault.create(path, "korrekt hest", log2_n=12)
    s = vault.surrogate("PERSON", "Mette", lambda seed, a: f"Navn{a}")
    vault.save()
    raw = path.read_bytes()
    assert raw.startswith(MAGIC) and b"Mette" not in raw
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
    path = tmp_path / "key.enc"
    KeyVault.create(path, "pw", log2_n=12).save()
    data = bytearray(path.read_bytes())
    data[-1] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(VaultError):
        KeyVault.open(path, "pw")


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
