"""Speaker labels of transcripts: "Karina: …", "[00:01:12] Karina: …", "Sagsbehandler (Pia): …".

Uses ``Document.turns`` (label spans from the corpus reader) when there are any, and otherwise finds
labels at line starts itself. Role words (Sagsbehandler, Borger, Interviewer, I, D) are not names;
everything else in a label is, even a name-word ("Storm:"), since labels name people.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from sprogtro.privacy.recognizers.base import Hit, LexiconRecognizer
from sprogtro.privacy.textview import WORD, TextView

ROLE_WORDS = frozenset({
    "sagsbehandler", "sagsbehandleren", "borger", "borgeren", "interviewer", "intervieweren", "deltager",
    "deltageren", "jobkonsulent", "virksomhedskonsulent", "mentor", "tolk", "bisidder", "leder", "arbejdsgiver",
    "arbejdsgiveren", "mødeleder", "referent", "læge", "psykolog", "kontaktperson", "informant", "interviewperson",
    "ip", "i", "d", "b", "s", "r", "sb", "jk", "speaker", "taler", "person", "ukendt", "alle", "flere",
    "konsulent", "pårørende", "mor", "far", "ægtefælle", "medarbejder", "rådgiver", "socialrådgiver",
    "ydelsesmedarbejder", "virksomhed", "virksomheden", "praktikvejleder", "underviser", "værge",
})
_LINE_LABEL = re.compile(
    r"^[ \t]*(?:\[?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\]?[ \t]*)?"
    r"(?P<label>[^\W\d_][\w.-]*(?:[ \t][^\W\d_][\w.-]*){0,3}(?:[ \t]*\([^)\n]{1,40}\))?)[ \t]*:(?=[ \t])",
    re.MULTILINE | re.UNICODE,
)


class SpeakerRecognizer(LexiconRecognizer):
    name = "speaker"
    entity_type = "PERSON"

    def analyze(self, view: TextView, known: Collection[str] = ()) -> list[Hit]:
        spans: list[tuple[int, int]] = []
        for turn in view.turns:
            if turn.label_start is not None and turn.label_end is not None and turn.label_end > turn.label_start:
                spans.append((turn.label_start, turn.label_end))
        if not spans and self._looks_labelled(view):
            spans = [m.span("label") for m in _LINE_LABEL.finditer(view.text)]
        hits: list[Hit] = []
        for start, end in spans:
            hits.extend(self._names_in_label(view.text, start, end))
        return hits

    def _looks_labelled(self, view: TextView) -> bool:
        lines = [ln for ln in view.text.splitlines() if ln.strip()]
        labelled = sum(1 for ln in lines if _LINE_LABEL.match(ln))
        return len(lines) >= 2 and labelled / len(lines) >= 0.4

    def _names_in_label(self, text: str, start: int, end: int) -> list[Hit]:
        lex = self.lexicon
        label = text[start:end]
        hits: list[Hit] = []
        run: list[tuple[int, int]] = []
        for m in WORD.finditer(label):
            word = m.group()
            title = word[:1].upper() + word[1:]
            ordinary = not lex.is_name(title) and (word.islower() or lex.is_word(word.lower()) or title in lex.not_names
                                                   or title in lex.places or word.isupper())
            if word.lower() in ROLE_WORDS or ordinary or len(word) < 2:
                self._flush(run, start, hits)
                run = []
                continue
            if run and label[run[-1][1] : m.start()] != " ":
                self._flush(run, start, hits)
                run = []
            run.append(m.span())
        self._flush(run, start, hits)
        return hits

    def _flush(self, run: list[tuple[int, int]], offset: int, hits: list[Hit]) -> None:
        if run:
            hits.append(self.hit(offset + run[0][0], offset + run[-1][1], 0.9, "speaker_label", "name in a speaker label"))
