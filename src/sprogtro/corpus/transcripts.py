"""Speaker turns: labelled transcripts ("Sagsbehandler: …", "[00:01:12] Karina: …", "SB:", "B:") and
WebVTT/SRT subtitles from transcription tools.

Turns are spans into the normalised text (see :class:`~sprogtro.corpus.document.Turn`). A speaker's role
comes from the words of the label (sagsbehandler/rådgiver/jobkonsulent/SB → caseworker, borger/
jobkandidat/klient/B → citizen, arbejdsgiver/virksomhed/leder → employer, else other), unless the
document's ``speaker_roles`` metadata ("Karina=caseworker;Ali=citizen") says otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from sprogtro.corpus.document import ROLES, Turn
from sprogtro.corpus.metadata import fold

ROLE_WORDS: dict[str, str] = {
    **dict.fromkeys(
        (
            "sagsbehandler", "sagsbehandleren", "sb", "raadgiver", "raadgiveren", "socialraadgiver",
            "socialraadgiveren", "jobraadgiver", "jobkonsulent", "jobkonsulenten", "virksomhedskonsulent",
            "virksomhedskonsulenten", "konsulent", "konsulenten", "vejleder", "vejlederen",
            "uddannelsesvejleder", "caseworker", "kontaktperson", "kontaktpersonen",
        ),
        "caseworker",
    ),
    **dict.fromkeys(
        (
            "borger", "borgeren", "b", "jobkandidat", "jobkandidaten", "kandidat", "kandidaten", "klient",
            "klienten", "jobsoeger", "jobsoegeren", "ledig", "ledige", "sygemeldt", "sygemeldte", "citizen",
            "client",
        ),
        "citizen",
    ),
    **dict.fromkeys(
        (
            "arbejdsgiver", "arbejdsgiveren", "virksomhed", "virksomheden", "leder", "lederen", "chef",
            "chefen", "mester", "indehaver", "indehaveren", "personalechef", "hr", "employer",
        ),
        "employer",
    ),
}

# Lines that look like "Word: …" but are headings of a note, not speakers (folded spelling).
HEADING_WORDS = frozenset(
    """dato tid tidspunkt klokken kl emne sted moedested deltagere tilstede fravaerende navn cpr cprnr
    personnummer adresse tlf telefon mobil mail email sagsnr sagsnummer journalnr vedr vedroerende referent
    fra til cc kopi bemaerk note noter nb ps obs kommune varighed optagelse lydfil fil titel overskrift
    formaal dagsorden konklusion aftale aftaler opfoelgning status baggrund resume beslutning beslutninger
    handling handleplan plan vurdering indstilling bilag sagsforloeb punkt ad hjemmel lovgrundlag ydelse
    forloeb tema maal delmaal fokus type kategori kilde sprog version side problemstilling problemstillinger
    ressource ressourcer tilbud indsats indsatser oensker helbred diagnose diagnoser medicin uddannelse
    beskaeftigelse arbejdserfaring erfaring kompetencer netvaerk oekonomi bolig begrundelse bemaerkninger
    henvisning henvisningsaarsag visitation maalgruppe ydelsestype""".split()
)

_NAME_PARTICLES = {"van", "von", "de", "da", "al", "el", "bin", "ibn", "la", "le", "du", "af", "til"}
_WORD = r"[^\W\d_][^\W\d_'’.\-]*(?:[-'’][^\W\d_]+)*\.?"
_TIMESTAMP = r"[\[(]?(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?[\])]?"
_LABEL_LINE = re.compile(
    rf"""^(?P<indent>[ \t]*)
    (?:(?P<ts>{_TIMESTAMP})[ \t]*(?:[-–][ \t]*)?)?
    (?P<label>
        (?P<words>{_WORD}(?:[ \t]+{_WORD}){{0,2}})
        (?:[ \t]+\d{{1,2}})?
        (?:[ \t]*\((?P<paren>[^()\n]{{1,40}})\))?
    )
    [ \t]*:(?=[ \t]|$)
    """,
    re.VERBOSE,
)
_TS_ONLY = re.compile(rf"^{_TIMESTAMP}$")


@dataclass(frozen=True)
class LabelMatch:
    label_start: int
    label_end: int  # after the colon
    speaker: str  # the label as written, without colon or timestamp
    utterance_start: int


def match_label(line: str, offset: int = 0) -> LabelMatch | None:
    """The speaker label at the start of ``line`` (``offset`` = the line's position in the document)."""
    m = _LABEL_LINE.match(line)
    if m is None:
        return None
    words = m.group("words").split()
    first = fold(words[0])
    if len(words) == 1 and first in HEADING_WORDS:
        return None
    if words[0][0].islower():
        # lower-case transcripts: one word ("karina:", "sagsbehandler:") or a role phrase
        if len(words) > 1 and not any(fold(w.rstrip(".")) in ROLE_WORDS for w in words):
            return None
    elif any(not (w[0].isupper() or w.lower() in _NAME_PARTICLES) for w in words[1:]):
        return None  # "Hun sagde: …" is prose, "Mette Kirkegaard:" and "Ali al Hassan:" are speakers
    colon = m.end()
    start = offset + m.start("label")
    utterance = colon + (len(line[colon:]) - len(line[colon:].lstrip()))
    return LabelMatch(start, offset + colon, m.group("label").strip(), offset + utterance)


def _label_parts(speaker: str) -> tuple[str, str | None]:
    """"Sagsbehandler (Pia)" → ("Sagsbehandler", "Pia"); a timestamp in brackets is not a name."""
    m = re.fullmatch(r"(.*?)\s*\(([^()]*)\)", speaker)
    if not m:
        return speaker, None
    inner = m.group(2).strip()
    return m.group(1).strip(), (None if _TS_ONLY.match(inner) else inner)


def parse_speaker_roles(value: str | Mapping[str, str] | None) -> dict[str, str]:
    """``"Karina=caseworker;Ali=citizen"`` (``,`` or ``;``, ``=`` or ``:``) → ``{"karina": "caseworker", …}``.

    Keys are folded (case- and æøå-spelling-insensitive). Roles may be given in Danish too
    ("sagsbehandler", "borger", "arbejdsgiver").
    """
    if not value:
        return {}
    items = value.items() if isinstance(value, Mapping) else (
        re.split(r"\s*[=:]\s*", part.strip(), maxsplit=1) for part in re.split(r"[;,\n]", str(value)) if part.strip()
    )
    roles: dict[str, str] = {}
    for item in items:
        if len(item) != 2:
            continue
        name, role = item
        role_key = fold(str(role))
        role = role_key if role_key in ROLES else ROLE_WORDS.get(role_key, "other")
        roles[fold(str(name))] = role
    return roles


def role_for_label(speaker: str | None, overrides: Mapping[str, str] | None = None) -> str:
    """The role of a speaker label: the override for the label, its name or one of its words; then role words."""
    if not speaker:
        return "other"
    outer, inner = _label_parts(speaker)
    overrides = overrides or {}
    candidates = [speaker, outer] + ([inner] if inner else []) + outer.split() + (inner.split() if inner else [])
    for candidate in candidates:
        role = overrides.get(fold(candidate))
        if role:
            return role
    for word in outer.split() + (inner.split() if inner else []):
        role = ROLE_WORDS.get(fold(word.rstrip(".")))
        if role:
            return role
    return "other"


def _lines(text: str):
    offset = 0
    for line in text.split("\n"):
        yield offset, line
        offset += len(line) + 1


def count_label_lines(text: str) -> tuple[int, int, int]:
    """(lines with a speaker label, non-empty lines, distinct speakers).

    Speakers with a role word count by role ("Sagsbehandler (Pia)" and "SB" are one caseworker).
    """
    labelled, nonempty, speakers = 0, 0, set()
    for offset, line in _lines(text):
        if not line.strip():
            continue
        nonempty += 1
        match = match_label(line, offset)
        if match:
            labelled += 1
            role = role_for_label(match.speaker)
            speakers.add(role if role != "other" else fold(match.speaker))
    return labelled, nonempty, len(speakers)


def looks_like_transcript(text: str, min_share: float = 0.5, *, require_repeat: bool = True) -> bool:
    """True when most non-empty lines start with a speaker label and there are at least two turns.

    With ``require_repeat`` (the default) some speaker must also speak twice, unless there are only two
    labelled lines: a form whose fields happen to look like labels ("Borger: …", "Ressourcer: …",
    "Tilbud: …") has many labels, each once, while a conversation comes back to its speakers.
    """
    labelled, nonempty, speakers = count_label_lines(text)
    if labelled < 2 or labelled < min_share * nonempty:
        return False
    return not require_repeat or labelled == 2 or labelled > speakers


def parse_turns(text: str, speaker_roles: str | Mapping[str, str] | None = None) -> list[Turn]:
    """Speaker turns of a labelled transcript; ``text`` must already be normalised.

    A turn runs from its label to the next label; unlabelled lines continue the previous turn. Lines
    before the first label (a header) belong to no turn. Turns with an empty utterance are dropped.
    """
    overrides = parse_speaker_roles(speaker_roles)
    turns: list[Turn] = []
    current: LabelMatch | None = None
    content_end = 0

    def close() -> None:
        if current is None:
            return
        start = current.utterance_start
        if content_end > start:
            turns.append(
                Turn(
                    start=start,
                    end=content_end,
                    speaker=current.speaker,
                    role=role_for_label(current.speaker, overrides),
                    label_start=current.label_start,
                    label_end=current.label_end,
                )
            )

    for offset, line in _lines(text):
        match = match_label(line, offset)
        if match is not None:
            close()
            current = match
            stripped = line.rstrip()
            content_end = max(offset + len(stripped), match.utterance_start)
        elif current is not None and line.strip():
            if current.utterance_start >= content_end:  # utterance starts on the line after the label
                current = LabelMatch(
                    current.label_start, current.label_end, current.speaker, offset + len(line) - len(line.lstrip())
                )
            content_end = offset + len(line.rstrip())
    close()
    return turns


# ---------------------------------------------------------------- WebVTT / SRT

_CUE_TIMING = re.compile(r"^\s*(\S+)\s+-->\s+(\S+)")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?\s+([^>]+)>")
_TAG = re.compile(r"</?[^>]+>")


@dataclass(frozen=True)
class Cue:
    start: str
    speaker: str | None
    text: str


def parse_cues(text: str) -> list[Cue]:
    """Cues of a WebVTT or SRT file (``text`` normalised): start time, speaker (``<v Name>`` or "Name:"), text."""
    cues: list[Cue] = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [line for line in block.split("\n") if line.strip()]
        timing_at = next((i for i, line in enumerate(lines) if _CUE_TIMING.match(line)), None)
        if timing_at is None:
            continue  # WEBVTT header, NOTE, STYLE, REGION blocks
        start = _CUE_TIMING.match(lines[timing_at]).group(1)
        payload = " ".join(line.strip() for line in lines[timing_at + 1 :])
        speaker = None
        voice = _VOICE.search(payload)
        if voice:
            speaker = voice.group(1).strip()
        payload = _TAG.sub("", payload)
        payload = payload.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", " ")
        payload = re.sub(r"\s+", " ", payload).strip()
        if speaker is None:
            label = match_label(payload)
            if label is not None:
                speaker = label.speaker
                payload = payload[label.utterance_start :].strip()
        if payload:
            cues.append(Cue(start, speaker, payload))
    return cues


def render_cues(cues: list[Cue], speaker_roles: str | Mapping[str, str] | None = None) -> tuple[str, list[Turn]]:
    """Text and turns from cues: one line per turn ("Karina: …"), consecutive cues of a speaker merged.

    A cue without a speaker continues the previous speaker's turn. Cues before any speaker (or in a file
    without speakers) become plain lines and no turns.
    """
    overrides = parse_speaker_roles(speaker_roles)
    groups: list[tuple[str | None, list[str]]] = []
    for cue in cues:
        speaker = cue.speaker if cue.speaker is not None else (groups[-1][0] if groups else None)
        if groups and speaker is not None and groups[-1][0] == speaker:
            groups[-1][1].append(cue.text)
        else:
            groups.append((speaker, [cue.text]))
    parts: list[str] = []
    turns: list[Turn] = []
    offset = 0
    for speaker, texts in groups:
        utterance = " ".join(texts)
        if speaker is None:
            line = utterance
        else:
            label = f"{speaker}:"
            line = f"{label} {utterance}"
            start = offset + len(label) + 1
            turns.append(
                Turn(start, start + len(utterance), speaker, role_for_label(speaker, overrides), offset, offset + len(label))
            )
        parts.append(line)
        offset += len(line) + 1
    return "".join(p + "\n" for p in parts), turns

