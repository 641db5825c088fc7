"""Person names announced by context: "hedder Storm", "fru Rask", "min søn Bo", "læge Hansen",
"sagsbehandler Pia", and the names listed after "Navn:", "Deltagere:", "Borger:" and similar labels.

After a naming verb or a title even a capitalised ordinary word is a name ("hr. Rask"); after a label
only tokens that are names or no ordinary words count ("Sagsbehandler: Vi …" keeps "Vi"). In
transcripts a lower-case gazetteer name after a cue counts too ("min søn ali"), and a lower-case
name-word only after a naming verb ("jeg hedder bo").
"""

from __future__ import annotations

import re
from collections.abc import Collection

from sprogtro.privacy.names import STRONG, UNKNOWN, WEAK, NameEvidence
from sprogtro.privacy.recognizers.base import Hit, LexiconRecognizer
from sprogtro.privacy.textview import TextView

NAMING = r"hedder|hed|kaldet|kaldes|kalder\s+sig|ved\s+navn|med\s+navnet|navnet\s+er|navn\s+er"
TITLES = r"fru|hr\.|hr|frk\.|frk|dr\.|fr\."
RELATIONS = (
    r"(?:eks|sted|pleje|sviger|bonus|lille|store|halv)?(?:mor|far|søn|datter|bror|søster|barn|forælder)(?:en|et|s)?"
    r"|kæreste(?:n)?|mand(?:en)?|kone(?:n)?|hustru(?:en)?|ægtefælle(?:n)?|samlever(?:en)?|ekskæreste(?:n)?"
    r"|onkel|tante(?:n)?|moster|faster|morbror|farbror|mormor|morfar|farmor|farfar|svoger|svigerinde"
    r"|veninde(?:n)?|ven(?:nen)?|nabo(?:en)?|kusine|fætter|nevø|niece|barnebarn|familiemedlem"
)
ROLES = (
    r"(?:egen\s+)?læge(?:n)?|sagsbehandler(?:en)?|jobkonsulent(?:en)?|virksomhedskonsulent(?:en)?|mentor(?:en)?"
    r"|psykolog(?:en)?|psykiater(?:en)?|kontaktperson(?:en)?|støttekontaktperson(?:en)?|leder(?:en)?|chef(?:en)?"
    r"|mester|tolk(?:en)?|bisidder(?:en)?|sygeplejerske(?:n)?|socialrådgiver(?:en)?|rådgiver(?:en)?"
    r"|koordinator(?:en)?|underviser(?:en)?|lærer(?:en)?|pædagog(?:en)?|ergoterapeut(?:en)?|fysioterapeut(?:en)?"
    r"|advokat(?:en)?|værge(?:n)?|kollega(?:en)?|praktikvejleder(?:en)?|vejleder(?:en)?"
)
LABELS = (
    r"navn|borger(?:ens navn)?|deltagere?|til\s+stede|tilstede|fremmødte|referent|mødeleder|kontaktperson"
    r"|sagsbehandler|pårørende|forælder|forældre|barn|børn|ansøger|klient|jobkonsulent|mentor|læge|afsender"
    r"|modtager|underskrift|cc|til|fra|interviewer|interviewperson|informant|deltager|ægtefælle|samlever"
)
_CUE = re.compile(
    rf"(?<![^\W\d_])(?:(?P<naming>{NAMING})|(?P<title>{TITLES})|(?P<relation>{RELATIONS})|(?P<role>{ROLES}))"
    r"(?P<gap>,?\s+(?:\(\s*)?)(?=[^\W\d_])",
    re.IGNORECASE | re.UNICODE,
)
_LABEL = re.compile(rf"^[ \t•*-]*(?:{LABELS})\s*:[ \t]*", re.IGNORECASE | re.MULTILINE | re.UNICODE)
SCORES = {"naming": 0.9, "title": 0.85, "relation": 0.8, "role": 0.8, "label": 0.8}


class PersonContextRecognizer(LexiconRecognizer):
    name = "person_context"
    entity_type = "PERSON"
    uses_known = True

    def analyze(self, view: TextView, known: Collection[str] = ()) -> list[Hit]:
        lex = self.lexicon
        evidence = NameEvidence(view, lex, known)
        hits: list[Hit] = []
        for m in _CUE.finditer(view.text):
            cue = next(k for k in ("naming", "title", "relation", "role") if m.group(k))
            hit = self._after(view, evidence, m.end(), cue)
            if hit is not None:
                hits.append(hit)
        for m in _LABEL.finditer(view.text):
            hits.extend(self._listed(view, evidence, m.end()))
        return hits

    def _after(self, view: TextView, evidence: NameEvidence, pos: int, cue: str) -> Hit | None:
        idx = view.index_at.get(pos)
        if idx is None:
            return None
        tok = view.tokens[idx]
        strong_cue = cue in ("naming", "title")
        if not tok.capitalised:  # "han hedder ali"; in transcripts also "min søn omar", "jeg hedder bo"
            if not (view.lowercase_mode or cue == "naming"):
                return None
            start, end, kinds = evidence.run_from(idx, lower_ok=True)
            ok = STRONG in kinds or (cue == "naming" and WEAK in kinds and view.lowercase_mode)
        else:
            start, end, kinds = evidence.run_from(idx, allow_words=strong_cue or cue in ("relation", "role"))
            ok = bool(kinds) and (strong_cue or tok.text not in evidence.lex.places)
        if not ok or end <= start:
            return None
        return self.hit(start, end, SCORES[cue], f"cue_{cue}", f"name after a {cue} cue")

    def _listed(self, view: TextView, evidence: NameEvidence, pos: int) -> list[Hit]:
        """Names listed after a label, on its line or on bullet lines right below an empty one."""
        line_start, line_end = view.line_of(pos)
        end_pos = line_end
        if not view.text[pos:line_end].strip():
            following = re.match(r"(?:\n[ \t]*[-•*][^\n]*)+", view.text[line_end:])
            end_pos = line_end + (following.end() if following else 0)
        hits: list[Hit] = []
        idx = view.token_after(pos)
        while idx is not None and idx < len(view.tokens) and view.tokens[idx].start < end_pos:
            start, end, kinds = evidence.run_from(idx, lower_ok=view.lowercase_mode)
            if end > start and (STRONG in kinds or UNKNOWN in kinds):
                hits.append(self.hit(start, end, SCORES["label"], "cue_label", "name listed after a label"))
            idx = view.token_after(max(end, view.tokens[idx].end))
        return hits

