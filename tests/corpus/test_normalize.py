"""normalize_text and decode_bytes: every encoding Danish offices save text in ends as the same str."""

from __future__ import annotations

import codecs

import pytest

from sprogtro.corpus.normalize import decode_bytes, normalize_text

DANISH = "Søren Ærø bor på Åboulevarden – han siger: „Det går fint“. Blåbærgrød, æbleskiver og øl."


@pytest.mark.parametrize(
    "encode",
    [
        lambda s: s.encode("utf-8"),
        lambda s: codecs.BOM_UTF8 + s.encode("utf-8"),
        lambda s: s.encode("utf-16"),  # with BOM
        lambda s: s.encode("utf-16-le"),
        lambda s: s.encode("utf-16-be"),
        lambda s: s.encode("utf-32"),
        lambda s: s.encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16le", "utf16be", "utf32", "cp1252"],
)
def test_decode_bytes_keeps_danish_letters(encode):
    text, _ = decode_bytes(encode(DANISH))
    assert normalize_text(text) == DANISH


@pytest.mark.parametrize("sentence", ["Søren på ø", "Blåbær og æbler fra Ærø", "ÆØÅ æøå"])
def test_decode_bytes_latin1_short_texts(sentence):
    text, encoding = decode_bytes(sentence.encode("latin-1"))
    assert text == sentence
    assert encoding in ("cp1252", "latin-1", "iso8859-1", "windows-1252")


def test_decode_bytes_cp1252_quotes_are_not_c1_controls():
    raw = "Han sagde \u201ej\u00e6vnt\u201c \u2013 og gik.".encode("cp1252")
    text, encoding = decode_bytes(raw)
    assert text == "Han sagde \u201ej\u00e6vnt\u201c \u2013 og gik."
    assert encoding == "cp1252"


def test_decode_bytes_dos_nordic_cp865():
    text, _ = decode_bytes("Søren Ærø fik æbler på øen og blåbær".encode("cp865"))
    assert text == "Søren Ærø fik æbler på øen og blåbær"


def test_normalize_text_nfc_lf_no_bom():
    decomposed = "\ufeffSo\u0308ren\r\nA\u030arhus\rlinje\u2028slut"
    assert normalize_text(decomposed) == "Sören\nÅrhus\nlinje\nslut"


def test_normalize_text_is_idempotent():
    once = normalize_text("a\r\nb\u0301\ufeff")
    assert normalize_text(once) == once
