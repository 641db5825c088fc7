"""Identifiers in file and folder names ("notat_Mette_Kirkegaard_2023.docx", "samtale med ali hassan.txt",
"Jensen, Karina - visitation.pdf", "0101901234_notat.txt").

Document ids and output names come from source paths, so a file named after a citizen would carry the
name into every output. :func:`pseudonymize_path` replaces the identifiers inside each path component
with the surrogates the vault gives in the text (one person, one surrogate, in text and paths alike)
and keeps everything else: separators, case style, dates, case numbers, document-type words, the
layout folders ``<municipality>/<doc-type>/`` and the suffix.

Detection. The CPR, phone and e-mail recognizers run on the name with ``_ - . ,`` read as spaces (a
10-digit number with a real CPR date counts even when modulus 11 fails: in a file name there is little
else it can be). Names are judged word by word: the name is split into words on separators and
camelCase ("MetteKirkegaard"), and a word is

* a **name** when it is a gazetteer first name or surname that is no ordinary word ("Mette", "hassan",
  "Kirkegaard"), or a name found in the document's text or earlier in the run, in any case;
* a **name-word** (Bo, Storm, Holm, Lund …: also ordinary words) only next to a name ("mette_holm"),
  next to another capitalised name-word ("Bo_Storm"), or capitalised after a lower-case word or a cue
  ("notat_Holm_2023", "samtale med Storm");
* an **unknown capitalised word** (no ordinary word, also not after æ/ø/å are spelled out:
  "Opfoelgning" is "opfølgning") or a capital initial only next to a name ("Mette_Kowalczyk", "Mette_K").

Places, public bodies, listed non-names and the file-name vocabulary in ``data/path_words.txt``
("rehab", "jun") are never names.

Stability. A renamed component is remembered in the vault (entity type ``PATH``), so the same name
always gives the same result with the same key file, whatever the order of the run, and
:meth:`~sprogtro.privacy.vault.KeyVault.reidentify_path` maps it back exactly.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from sprogtro.privacy.lexicon import NameLexicon, data_lines, name_lexicon
from sprogtro.privacy.names import PARTICLES
from sprogtro.privacy.recognizers.cpr import CprRecognizer
from sprogtro.privacy.recognizers.email import EmailRecognizer
from sprogtro.privacy.recognizers.person import LOWER_CUES
from sprogtro.privacy.recognizers.phone import PhoneRecognizer
from sprogtro.privacy.textview import TextView
from sprogtro.privacy.vault import PATH_TYPE

if TYPE_CHECKING:  # pragma: no cover
    from sprogtro.privacy.pseudonymizer import Pseudonymizer

CPR_MIN_SCORE = 0.4  # a plain 10-digit CPR with a real date but no modulus-11 match scores 0.45
MIN_SCORE = 0.5
CUES = LOWER_CUES | {"borger", "borgeren", "vedr", "ang", "ift", "re"}
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,5}$")
_LETTERS = re.compile(r"[^\W\d_]+")
_JOIN = re.compile(r"[\s_.,-]{0,3}")  # what may stand between the parts of one name ("Jensen, Karina")
_DIGIT_SEPARATORS = re.compile(r"[_.,-]")
_UNSAFE = re.compile(r'[\\/:*?"<>|\[\]\x00-\x1f]')
_SPELLED = (("ae", "æ"), ("oe", "ø"), ("aa", "å"))

KNOWN, STRONG, WEAK, UNKNOWN, INITIAL, PARTICLE = "known", "strong", "weak", "unknown", "initial", "particle"
_ANCHORS = (KNOWN, STRONG)


@dataclass(frozen=True)
class Word:
    start: int
    end: int  # end of the name part (a possessive "s" stays outside)
    text: str
    kind: str | None

    @property
    def title(self) -> str:
        return _title(self.text[: self.end - self.start])

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper() and not (self.text.isupper() and len(self.text) > 1)


def split_suffix(name: str) -> tuple[str, str]:
    """``"notat_Mette.docx"`` → ``("notat_Mette", ".docx")``; names without a suffix keep everything."""
    m = _SUFFIX.search(name)
    if m is None or m.start() == 0:
        return name, ""
    return name[: m.start()], m.group()


def split_words(stem: str) -> list[tuple[int, int]]:
    """Letter runs, cut at camelCase boundaries: "notatMetteKirkegaard" → notat, Mette, Kirkegaard."""
    spans: list[tuple[int, int]] = []
    for m in _LETTERS.finditer(stem):
        run, start, cut = m.group(), m.start(), m.start()
        for i in range(1, len(run)):
            a, b, nxt = run[i - 1], run[i], run[i + 1 : i + 2]
            if (a.islower() and b.isupper()) or (a.isupper() and b.isupper() and nxt.islower()):
                spans.append((cut, start + i))
                cut = start + i
        spans.append((cut, m.end()))
    return spans


@lru_cache(maxsize=1)
def _recognizers() -> tuple[EmailRecognizer, CprRecognizer, PhoneRecognizer]:
    return EmailRecognizer(), CprRecognizer(), PhoneRecognizer()


@lru_cache(maxsize=1)
def path_words() -> frozenset[str]:
    """File-name vocabulary that collides with the name gazetteers ("rehab", "jun")."""
    return frozenset(w.lower() for w in data_lines("path_words.txt"))


def find_identifiers(stem: str, known: Collection[str] = ()) -> list[tuple[int, int, str, list[Word]]]:
    """Identifiers in one path component without its suffix: (start, end, entity type, name words),
    sorted and non-overlapping; name words are empty for CPR, phone and e-mail."""
    email, cpr, phone = _recognizers()
    found: list[tuple[int, int, str, list[Word]]] = []
    for h in email.analyze(TextView(stem)):
        if h.score >= MIN_SCORE:
            found.append((h.start, h.end, h.entity_type, []))
    masked = _mask(stem, found)
    spaced = TextView(_DIGIT_SEPARATORS.sub(" ", masked))  # "notat-0101901234" reads like a sentence
    for recognizer, floor in ((cpr, CPR_MIN_SCORE), (phone, MIN_SCORE)):
        for h in recognizer.analyze(spaced):
            if h.score >= floor and not any(h.start < e and s < h.end for s, e, _t, _w in found):
                found.append((h.start, h.end, h.entity_type, []))
    lex = name_lexicon()
    known_titles = {_title(k) for k in known}
    taken = [(s, e) for s, e, _t, _w in found]
    words = [_classify(stem, s, e, lex, known_titles) for s, e in split_words(stem)
             if not any(s < te and ts < e for ts, te in taken)]
    for run in _name_runs(stem, words):
        found.append((run[0].start, run[-1].end, "PERSON", run))
    return sorted(found, key=lambda f: f[0])


def pseudonymize_component(pseudonymizer: "Pseudonymizer", stem: str, known: Collection[str] = ()) -> str:
    """``stem`` with its identifiers replaced (surrogates chosen through the pseudonymizer's vault)."""
    found = find_identifiers(stem, known)
    if not found:
        return stem
    vault = pseudonymizer.vault
    names = {w.title for _s, _e, _t, run in found for w in run}
    pieces, pos = [], 0
    with vault.avoiding(names):
        for start, end, entity_type, run in found:
            pieces.append(stem[pos:start])
            if entity_type != "PERSON":
                pieces.append(_safe(pseudonymizer.operators[entity_type].operate(stem[start:end], vault)))
            elif pseudonymizer.style == "tags":
                key = _tag_key(pseudonymizer, stem, run)
                pieces.append(_safe(pseudonymizer.operators["PERSON"].operate(key, vault)))
            else:
                pieces.append(_realistic(pseudonymizer, stem, run))
            pos = end
    pieces.append(stem[pos:])
    return "".join(pieces)


def pseudonymize_path(pseudonymizer: "Pseudonymizer", path: str, known: Iterable[str] = (), *,
                      create: bool = True) -> str | None:
    """Every component of the relative posix ``path`` pseudonymized (see the module docs). With
    ``create=False`` nothing is added to the vault and ``None`` means "a component needs a new
    surrogate" (used to recognise documents done in an earlier run)."""
    vault = pseudonymizer.vault
    known = set(known) | pseudonymizer.known_names
    parts = path.split("/")
    out = []
    for i, part in enumerate(parts):
        stem, suffix = split_suffix(part) if i == len(parts) - 1 else (part, "")
        if stem in ("", ".", ".."):
            out.append(part)
            continue
        remembered = vault.lookup(PATH_TYPE, stem)
        if remembered is None:
            if not create:
                if find_identifiers(stem, known):
                    return None
                remembered = stem
            else:
                new = pseudonymize_component(pseudonymizer, stem, known)
                remembered = stem if new == stem else vault.remember_path(stem, new)
        out.append(remembered + suffix)
    return "/".join(out)


# -- words ----------------------------------------------------------------------------------------------
def _title(word: str) -> str:
    return word[:1].upper() + word[1:].lower() if word.islower() or word.isupper() else word


def _ordinary(lower: str, lex: NameLexicon) -> bool:
    """An ordinary word, also with æ/ø/å spelled out as in file names ("opfoelgning", "moede")."""
    if lex.is_word(lower):
        return True
    variants = {lower}
    for spelled, letter in _SPELLED:
        variants |= {v.replace(spelled, letter) for v in variants}
    return any(v != lower and lex.is_word(v) for v in variants)


def _classify(stem: str, start: int, end: int, lex: NameLexicon, known: Collection[str]) -> Word:
    text = stem[start:end]
    kind = _kind(text, lex, known)
    if kind == UNKNOWN and len(text) >= 4 and text.endswith("s"):  # "Mettes_notat": the name without its "s"
        stem_kind = _kind(text[:-1], lex, known)
        if stem_kind in _ANCHORS:
            return Word(start, end - 1, text, stem_kind)
    return Word(start, end, text, kind)


def _kind(text: str, lex: NameLexicon, known: Collection[str]) -> str | None:
    lower = text.lower()
    if len(text) == 1:
        return INITIAL if text.isupper() else None
    if lower in PARTICLES:
        return PARTICLE
    title = _title(text)
    if lower in path_words() or title in lex.places or title in lex.not_names:
        return None
    short_caps = text.isupper() and len(text) <= 3  # "AAR", "IPS": codes more often than names
    if title in known:
        return WEAK if short_caps else KNOWN
    if lex.is_name(title):
        return WEAK if short_caps or lex.is_name_word(title) else STRONG
    if _ordinary(lower, lex):
        return None
    return UNKNOWN


def _name_runs(stem: str, words: list[Word]) -> list[list[Word]]:
    """The accepted names: runs of adjacent name-like words with enough evidence (module docs)."""
    groups: list[list[Word]] = []
    for w in words:
        prev = groups[-1][-1] if groups else None
        if (prev is not None and prev.kind is not None and w.kind is not None
                and _JOIN.fullmatch(stem[_full_end(prev) : w.start])):
            groups[-1].append(w)
        else:
            groups.append([w])
    accepted: list[list[Word]] = []
    for idx, group in enumerate(groups):
        if group[0].kind is None:
            continue
        before = _previous_word(groups, idx)
        keep = [False] * len(group)
        for i, w in enumerate(group):
            if w.kind in _ANCHORS:
                keep[i] = True
        if not any(keep):  # name-words only: capitalised pairs, or one after a lower-case word or a cue
            caps = [w.kind == WEAK and w.capitalised for w in group]
            for i, w in enumerate(group):
                pair = (i > 0 and caps[i - 1]) or (i + 1 < len(group) and caps[i + 1])
                placed = i == 0 and before is not None and (before.islower() or before.lower() in CUES)
                keep[i] = caps[i] and (pair or placed)
        changed = True
        while changed:  # grow around what is kept: name-words, capitalised unknown words, initials
            changed = False
            for i, w in enumerate(group):
                if keep[i] or not ((i > 0 and keep[i - 1]) or (i + 1 < len(group) and keep[i + 1])):
                    continue
                if w.kind in (WEAK, INITIAL) or (w.kind == UNKNOWN and w.capitalised):
                    keep[i] = changed = True
                elif w.kind == PARTICLE and 0 < i < len(group) - 1 and (keep[i - 1] or keep[i + 1]):
                    keep[i] = changed = True
        accepted += _kept_runs(group, keep)
    return accepted


def _kept_runs(group: list[Word], keep: list[bool]) -> list[list[Word]]:
    """Consecutive kept words, without particles at the ends and not initials alone."""
    runs: list[list[Word]] = [[]]
    for w, kept in zip(group, keep):
        if kept:
            runs[-1].append(w)
        elif runs[-1]:
            runs.append([])
    out = []
    for run in runs:
        while run and run[-1].kind == PARTICLE:
            run.pop()
        if any(w.kind not in (PARTICLE, INITIAL) for w in run):
            out.append(run)
    return out


def _full_end(word: Word) -> int:
    return word.start + len(word.text)


def _previous_word(groups: list[list[Word]], idx: int) -> str | None:
    return groups[idx - 1][-1].text if idx > 0 else None


# -- surrogates -----------------------------------------------------------------------------------------
def _realistic(pseudonymizer: "Pseudonymizer", stem: str, run: list[Word]) -> str:
    """Each name word replaced by the vault's surrogate for it, separators as they were."""
    lex = name_lexicon()
    operator = pseudonymizer.operators["PERSON"]
    pieces, pos = [], run[0].start
    for i, w in enumerate(run):
        pieces.append(stem[pos : w.start])
        if w.kind == PARTICLE:
            pieces.append(stem[w.start : w.end])
        else:
            pieces.append(operator.word(stem[w.start : w.end], _role(w.title, i, lex), pseudonymizer.vault))
        pos = w.end
    return "".join(pieces)


def _role(title: str, index: int, lex: NameLexicon) -> str:
    """First name or surname, for choosing a new surrogate (a word keeps its surrogate once chosen)."""
    first, sur = lex.is_first(title), lex.is_surname(title)
    if first != sur:
        return "first" if first else "surname"
    return "first" if index == 0 else "surname"


def _tag_key(pseudonymizer: "Pseudonymizer", stem: str, run: list[Word]) -> str:
    """The person a name in a file name refers to, as the text's tags know it ("Mette" → "Mette Kirkegaard")."""
    vault = pseudonymizer.vault
    parts = [w for w in run if w.kind != PARTICLE]
    if len(parts) == 1:
        title = parts[0].title
        full = pseudonymizer.full_name(title)
        if full is None:
            full = next((o for o, _s in vault.entries("tag:PERSON")
                         if len(o.split()) > 1 and title in o.replace("-", " ").split()), None)
        return full or title
    joined, pos = [], run[0].start
    for w in run:
        gap = stem[pos : w.start]
        joined.append(("-" if gap == "-" else " ") if joined else "")
        joined.append(w.title)
        pos = w.end
    key = "".join(joined)
    candidates = [key, stem[run[0].start : run[-1].end]]
    lex = name_lexicon()
    if len(parts) == 2:
        reverse = f"{parts[1].title} {parts[0].title}"
        candidates.append(reverse)
        if lex.is_surname(parts[0].title) and not lex.is_first(parts[0].title) and lex.is_first(parts[1].title):
            key = reverse  # "Jensen, Karina" is Karina Jensen
    chosen = next((c for c in candidates if vault.lookup("tag:PERSON", c) is not None), key)
    pseudonymizer.note_full_name(chosen)
    return chosen


def _mask(stem: str, found: list[tuple[int, int, str, list[Word]]]) -> str:
    chars = list(stem)
    for s, e, _t, _w in found:
        chars[s:e] = "x" * (e - s)
    return "".join(chars)


def _safe(surrogate: str) -> str:
    """Tags lose their brackets ("[PERSON_1]" → "PERSON_1"); nothing a file system could mind is left."""
    return _UNSAFE.sub("_", surrogate.strip("[]"))
