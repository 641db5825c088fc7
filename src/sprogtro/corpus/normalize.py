"""Text normalisation and byte decoding.

Every reader ends in :func:`normalize_text`: NFC, LF line endings, no BOM. Offsets into its result are
the reference for every later stage. :func:`decode_bytes` turns the bytes of a text file into ``str``
whatever Danish offices saved it as: UTF-8 (with or without BOM), UTF-16/32 (with or without BOM) or a
legacy single-byte code page (Windows-1252, Latin-1, DOS Nordic 865, Mac Roman), so æ, ø and å survive.
"""

from __future__ import annotations

import codecs
import unicodedata

# Characters that turn into a plain line break: CR/CRLF, the Unicode line/paragraph separators, form
# feed (PDF page breaks), vertical tab (Word's manual line break in some exports) and NEL.
_LINE_BREAKS = {"\u2028": "\n", "\u2029": "\n", "\x0c": "\n", "\x0b": "\n", "\x85": "\n"}
_BREAK_TABLE = str.maketrans(_LINE_BREAKS)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Legacy code pages met in Danish offices, in order of preference when they tie.
LEGACY_ENCODINGS = ("cp1252", "latin-1", "cp865", "mac_roman")
_DANISH_LETTERS = set("æøåÆØÅéÉüÜöÖäÄ")
_TYPOGRAPHIC = set("–—„“”‘’…•§½°€£")


def normalize_text(text: str) -> str:
    """Return ``text`` in sprogtro's reference form: NFC, ``\\n`` line endings, no BOM/zero-width no-break space."""
    text = text.replace("\ufeff", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_BREAK_TABLE)
    return unicodedata.normalize("NFC", text)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode the bytes of a text file; return ``(text, encoding)``.

    Order: a byte-order mark decides; then UTF-16/32 recognised by their zero bytes; then strict UTF-8;
    then the most plausible legacy code page for Danish text (checked against charset-normalizer's guess).
    The text is *not* normalised here; call :func:`normalize_text`.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace"), encoding + "-bom"
    wide = _guess_wide_unicode(data)
    if wide:
        return data.decode(wide, errors="replace"), wide
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _decode_legacy(data)


def _guess_wide_unicode(data: bytes) -> str | None:
    """UTF-16/32 without BOM: mostly-Latin text has a zero byte in every other (or 3 of 4) positions."""
    sample = data[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    n = len(sample)
    if n % 4 == 0:
        quads = [sample[i : i + 4] for i in range(0, n, 4)]
        if sum(q[1:] == b"\x00\x00\x00" for q in quads) > 0.7 * len(quads):
            return "utf-32-le"
        if sum(q[:3] == b"\x00\x00\x00" for q in quads) > 0.7 * len(quads):
            return "utf-32-be"
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.6 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.6 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _plausibility(text: str) -> float:
    """How much ``text`` looks like Danish prose: letters and typography count, control and odd symbols cost."""
    score = 0.0
    for ch in text:
        if ch.isascii():
            if ch.isprintable() or ch in "\n\r\t":
                continue
            score -= 5  # ASCII control characters
        elif ch in _DANISH_LETTERS:
            score += 2
        elif ch in _TYPOGRAPHIC:
            score += 1
        elif unicodedata.category(ch).startswith("C"):
            score -= 5  # C1 controls: Latin-1's reading of Windows-1252 quotes
        elif unicodedata.category(ch).startswith("L") and "LATIN" in unicodedata.name(ch, ""):
            score += 0.5
        else:
            score -= 2  # box drawing, Greek, maths: a code page's wrong reading
    return score


def _decode_legacy(data: bytes) -> tuple[str, str]:
    candidates: list[tuple[float, int, str, str]] = []
    for rank, encoding in enumerate(LEGACY_ENCODINGS):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((_plausibility(text), -rank, encoding, text))
    guess = _charset_normalizer_guess(data)
    if guess is not None:
        encoding, text = guess
        legacy = [codecs.lookup(name).name for name in LEGACY_ENCODINGS]
        if encoding in legacy:  # charset-normalizer agrees with one reading: a small bonus breaks ties
            candidates = [
                (score + 1, rank, enc, txt) if codecs.lookup(enc).name == encoding else (score, rank, enc, txt)
                for score, rank, enc, txt in candidates
            ]
        else:  # a non-Western guess (e.g. Cyrillic) wins only when the Western readings look broken
            candidates.append((_plausibility(text), -len(LEGACY_ENCODINGS), encoding, text))
    if not candidates:  # pragma: no cover - latin-1 decodes every byte string
        return data.decode("utf-8", errors="replace"), "utf-8-replace"
    _, _, encoding, text = max(candidates)
    return text, encoding


def _charset_normalizer_guess(data: bytes) -> tuple[str, str] | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a core dependency
        return None
    best = from_bytes(data).best()
    if best is None:
        return None
    encoding = codecs.lookup(best.encoding).name
    return encoding, str(best)
