"""The codebook's decision rules (DESIGN.md, "Codebook rules") as pure functions over a sentence's cues.

Every function takes the cue spans of one sentence, already annotated by the context component
(``span._.effective`` is the code after negation), and returns a label with the cues that decided it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Sequence

from spacy.tokens import Span

FRAMING = ("deficit", "resource", "mixed", "neutral")
EXPECTATION = ("high", "low", "uncertain", "none")
ACTION = ("action", "waiting", "none")
DIMENSIONS = {"framing": FRAMING, "expectation": EXPECTATION, "action": ACTION}


def framing_label(cues: Sequence[Span]) -> str:
    """deficit / resource / mixed / neutral.

    Negation flips (the context component already did: ``effective``); both kinds in one sentence make
    ``mixed``; statements purely about job prospects are expectation cues and never reach here.
    """
    kinds = {c._.effective for c in cues if c._.effective in ("deficit", "resource")}
    if kinds == {"deficit", "resource"}:
        return "mixed"
    if kinds:
        return kinds.pop()
    return "neutral"


def expectation_label(cues: Sequence[Span]) -> str:
    """high / low / uncertain / none.

    Hedged and conditional leans keep their lean. Where several expectation cues disagree, the dominant
    side of a contrast ("…, men HER") decides; on the same side the heavier lean wins and a tie between
    high and low is ``uncertain``. No expectation cue: ``none`` (for cases: missing data).
    """
    exp = [c for c in cues if c._.effective.startswith("expectation_")]
    if not exp:
        return "none"
    top_side = max(c._.contrast_side for c in exp)
    weights: dict[str, float] = defaultdict(float)
    for c in exp:
        if c._.contrast_side == top_side:
            weights[c._.effective.removeprefix("expectation_")] += c._.cue_weight
    best = max(weights.values())
    winners = [k for k, w in weights.items() if w == best]
    if len(winners) == 1:
        return winners[0]
    if "uncertain" in winners or {"high", "low"} <= set(winners):
        return "uncertain"
    return winners[0]


# action cues that only name an offer ("praktikken") rather than a step ("iværksættes", "henvises")
OFFER_GROUPS = frozenset({"tilbud", "uddannelse", "sundhed", "plan"})
POSTPONE_WINDOW = 3


INSIDE_OFFER = frozenset({"i", "under", "efter", "fra", "af", "sin", "sit", "sine", "hans", "hendes", "din", "dit", "mit", "min"})


def action_label(cues: Sequence[Span]) -> str:
    """action / waiting / none.

    A step (a step verb, job search, employer contact, or an offer named as something to start) is
    ``action``; postponement or passivity is ``waiting``. An offer named as the place where things happen
    ("det går godt i praktikken", "evaluering af praktikforløbet") is no step, nor is an offer named as a
    prospect: in a sentence that states an expectation ("vil kunne varetage et fleksjob") or under a
    condition ("hvis det kan blive til et løntilskud"). A step that is itself
    postponed ("praktikken udskydes") is waiting; postponement plus another step is action. A negated
    step ("er ikke iværksat") counts as passivity.
    """
    waiting = [c for c in cues if c._.effective == "waiting"]
    prospect = any(c._.effective.startswith("expectation_") for c in cues)
    steps = [c for c in cues if c._.effective == "action" and not _inside_offer(c)
             and not (c._.cue_group in OFFER_GROUPS and (prospect or c._.conditional))]
    if waiting:
        free = [c for c in steps
                if all(c.start - w.end > POSTPONE_WINDOW or w.start - c.end > POSTPONE_WINDOW for w in waiting)
                and c._.cue_group not in OFFER_GROUPS]
        return "action" if free else "waiting"
    return "action" if steps else "none"


def _inside_offer(cue: Span) -> bool:
    if cue._.cue_group not in OFFER_GROUPS or cue.start == 0:
        return False
    return cue.doc[cue.start - 1].lower_ in INSIDE_OFFER


CITIZEN_REFERENTS = frozenset({"borgeren", "jobkandidaten", "klienten", "name", "pronoun", "andet"})


def about_someone_else(modifiers: Sequence[Span]) -> bool:
    """The sentence names someone other than the citizen and never the citizen ("Hendes mor er syg")."""
    refs = [m for m in modifiers if m.label_ == "referent"]
    third = {m.start for m in refs if m._.modifier_value == "tredjeperson"}
    if not third:
        return False
    for m in refs:
        value = m._.modifier_value
        if value in CITIZEN_REFERENTS or (value == "possessive" and m.end not in third):
            return False
    return True


def rule_labels(cues: Sequence[Span], modifiers: Sequence[Span] = ()) -> dict[str, str]:
    """The three labels by the codebook rules. Descriptions of others (family, colleagues, the employer)
    are neutral framing."""
    return {
        "framing": "neutral" if about_someone_else(modifiers) else framing_label(cues),
        "expectation": expectation_label(cues),
        "action": action_label(cues),
    }


CONTRAST_CODES = frozenset({"contrast", "concessive"})


def polarity_features(cues: Iterable[Span], modifiers: Iterable[Span]) -> list[str]:
    """Evidence for ``mixed``: both polarities present (strong), and across a contrast (stronger still).

    ``mixed_both`` when effective deficit and resource cues both occur; ``mixed_across_contrast`` when a
    contrast marker ("men", "dog", "til gengæld", "selvom" …) stands between opposite-polarity cues or
    they lie on different sides of a contrast. A contrast with framing cues on one side only
    (``contrast_one_sided_<kind>``) hints at a second, unlexiconised description on the other side.
    """
    framing = [c for c in cues if c._.effective in ("deficit", "resource")]
    contrasts = [m for m in modifiers if m.label_ == "contrast" and m._.modifier_value in CONTRAST_CODES]
    kinds = {c._.effective for c in framing}
    feats: list[str] = []
    if kinds == {"deficit", "resource"}:
        feats += ["mixed_both"] * 2
        across = any(a._.effective != b._.effective and (
            a._.contrast_side != b._.contrast_side
            or any(a.end <= m.start and m.end <= b.start for m in contrasts))
            for a in framing for b in framing if a.start < b.start)
        if across:
            feats += ["mixed_across_contrast"] * 3
    elif kinds and contrasts:
        kind = next(iter(kinds))
        sides = {c._.contrast_side for c in framing}
        feats.append(f"contrast_one_sided_{kind}")
        if len(sides) == 1:
            feats.append(f"contrast_one_sided_{kind}_side{sides.pop()}")
    if contrasts:
        feats.append("contrast_marker")
    return feats


def cue_feature_tokens(cues: Iterable[Span], modifiers: Iterable[Span], labels: dict[str, str],
                       role: str = "") -> list[str]:
    """The rule evidence as feature words for the statistical classifier (see :mod:`classifier`)."""
    feats: list[str] = []
    for c in cues:
        eff = c._.effective or "none"
        feats.append(f"cue_{c.label_}")
        feats.append(f"eff_{eff}")
        if c._.negated:
            feats.append(f"eff_{eff}_neg")
        if c._.hedged:
            feats.append(f"eff_{eff}_hedged")
        if c._.conditional:
            feats.append(f"eff_{eff}_cond")
        if c._.contrast_side:
            feats.append(f"eff_{eff}_after_contrast")
        if c._.cue_group:
            feats.append(f"grp_{c._.cue_group}")
    feats.extend(polarity_features(cues, modifiers))
    for m in modifiers:
        feats.append(f"mod_{m.label_}")
        if m.label_ in ("horizon", "target"):
            feats.append(f"mod_{m.label_}_{m._.modifier_value}")
    for dim, label in labels.items():
        feats.append(f"rule_{dim}_{label}")
    if role:
        feats.append(f"role_{role}")
    return [f.replace(" ", "_") for f in feats]
