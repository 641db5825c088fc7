"""The codebook's decision rules, applied by the rule components (no classifier): a table of sentences
written for these tests (not taken from the gold)."""

from __future__ import annotations

import pytest

FRAMING = [
    ("Borgeren har svært ved at overholde aftaler.", "deficit"),
    ("Hun har ikke svært ved at møde op.", "resource"),  # negated deficit
    ("Han har aldrig haft problemer med kollegerne.", "resource"),
    ("Hun har ingen problemer med at samarbejde.", "resource"),
    ("Han er ikke motiveret for uddannelse.", "deficit"),  # negated resource
    ("Han står uden erfaring fra arbejdsmarkedet.", "deficit"),
    ("Hun er ikke uden ressourcer.", "resource"),  # double negation
    ("Hun mangler motivation.", "deficit"),
    ("Han mangler ikke motivation.", "resource"),
    ("Han møder ikke stabilt.", "deficit"),
    ("Hun har smerter i ryggen, men hun er meget motiveret.", "mixed"),  # across a contrast
    ("Selvom han har angst, møder han stabilt.", "mixed"),
    ("Han er god til at lave mad, dog har han svært ved tempoet.", "mixed"),
    ("Hun er ikke kun motiveret, men også dygtig.", "resource"),  # pseudo negation
    ("Altså jeg har sådan lidt svært ved det.", "deficit"),  # spoken, hedged
    ("Borgeren vurderes at være tæt på arbejdsmarkedet.", "neutral"),  # a job prospect is expectation
    ("Næste samtale er den 4. april kl. 10.", "neutral"),
    ("Hun bor sammen med sin mand og to børn.", "neutral"),
    ("Borgeren er diagnosticeret med depression.", "deficit"),
    ("Han har brug for tæt støtte i hverdagen.", "deficit"),
    ("Hendes mor har kræft og er meget syg.", "neutral"),  # about someone else
    ("Hans motivation er høj.", "resource"),  # a possessive before no third person: the citizen
]

EXPECTATION = [
    ("Borgeren vurderes at være tæt på arbejdsmarkedet.", "high"),
    ("Hun kan formentlig komme i job inden for et år.", "high"),  # hedged lean keeps its lean
    ("Jeg tror på, at han kan klare et lagerjob.", "high"),
    ("Praktikstedet overvejer at ansætte hende.", "high"),  # employer's belief
    ("Jeg tvivler på, at hun kan holde til et job.", "low"),
    ("Han er langt fra arbejdsmarkedet.", "low"),
    ("Det er urealistisk, at hun kommer i ordinært arbejde.", "low"),
    ("Jeg tror ikke på, at han kommer i job.", "low"),  # negated high
    ("Sagen forelægges med indstilling om førtidspension.", "low"),
    ("Måske på sigt kan hun arbejde nogle timer.", "uncertain"),
    ("Det kan ikke udelukkes, at han kan vende tilbage.", "uncertain"),
    ("Det er svært at vurdere, om hun kan arbejde igen.", "uncertain"),
    ("Hun har svært ved at møde til tiden.", "none"),  # no belief about job chances: none
    ("Vi har aftalt, at hun starter i praktik.", "none"),
]

ACTION = [
    ("Der iværksættes virksomhedspraktik i fire uger.", "action"),
    ("Borgeren henvises til et afklaringsforløb.", "action"),
    ("Det er aftalt, at han søger fem job om ugen.", "action"),
    ("Jeg har kontaktet virksomheden om en praktik.", "action"),
    ("Sagen sættes i bero, til lægeerklæringen foreligger.", "waiting"),
    ("Praktikken udskydes til foråret.", "waiting"),  # a postponed step alone is waiting
    ("Sagen har ligget stille siden januar.", "waiting"),
    ("Der er ikke iværksat tilbud.", "waiting"),  # a negated step is passivity
    ("Vi afventer attesten, og hun starter på et kursus i næste uge.", "action"),  # postponement + a step
    ("Næste samtale er den 4. april kl. 10.", "none"),
    ("Det går godt i praktikken.", "none"),  # performance inside an offer
]


@pytest.mark.parametrize("text,expected", FRAMING)
def test_decisions_framing(label, text, expected):
    assert label(text)["framing"] == expected


@pytest.mark.parametrize("text,expected", EXPECTATION)
def test_decisions_expectation(label, text, expected):
    assert label(text)["expectation"] == expected


@pytest.mark.parametrize("text,expected", ACTION)
def test_decisions_action(label, text, expected):
    assert label(text)["action"] == expected


def test_decisions_cues_carry_negation_and_hedge(nlp_rules):
    doc = nlp_rules("Hun er formentlig ikke motiveret.")
    [cue] = [c for c in doc.spans["sprogtro_cues"] if c.label_ == "resource"]
    assert cue._.negated and cue._.hedged and cue._.effective == "deficit"


def test_decisions_experiencer_and_contrast_side(nlp_rules):
    doc = nlp_rules("Jobcentret vurderer, at hun er tæt på arbejdsmarkedet, men hun har smerter.")
    cues = {c.label_: c for c in doc.spans["sprogtro_cues"]}
    assert cues["expectation_high"]._.experiencer == "caseworker"
    assert cues["expectation_high"]._.contrast_side == 0 and cues["deficit"]._.contrast_side == 1


@pytest.mark.parametrize("text,referent,agency", [
    ("Borgeren har selv fundet en praktikplads.", "borgeren", "agent"),
    ("Borgeren henvises til et afklaringsforløb.", "borgeren", "object"),
    ("Vi har henvist jobkandidaten til psykolog.", "jobkandidaten", "object"),
    ("Hun møder stabilt.", "pronoun", "agent"),
    ("Næste møde er i morgen.", "", ""),
])
def test_decisions_referent_and_agency(nlp_rules, text, referent, agency):
    doc = nlp_rules(text)
    [sent] = doc.spans["sprogtro_sentences"]
    assert (sent._.referent, sent._.agency) == (referent, agency)


def test_decisions_negation_scope_follows_the_parse(nlp_rules):
    """With a dependency parse, a negation reaches the cue in its head's clause even beyond the token
    window; a cue in a subordinate clause stays out of reach."""
    from spacy.tokens import Doc

    words = ["Hun", "er", "ikke", "på", "nogen", "måde", "i", "sin", "hverdag", "særlig", "motiveret", "."]
    heads = [10, 10, 10, 5, 5, 10, 8, 8, 10, 10, 10, 10]
    deps = ["nsubj", "cop", "advmod", "case", "det", "obl", "case", "det", "obl", "advmod", "ROOT", "punct"]
    doc = Doc(nlp_rules.vocab, words=words, heads=heads, deps=deps, sent_starts=[True] + [False] * 11)
    for name in ("sprogtro_cues", "sprogtro_context"):
        doc = nlp_rules.get_pipe(name)(doc)
    [cue] = doc.spans["sprogtro_cues"]
    assert cue.text == "motiveret" and cue._.negated  # 7 tokens away: out of the window, in the clause
    context = nlp_rules.get_pipe("sprogtro_context")
    context.use_parse = False
    try:
        doc = context(nlp_rules.get_pipe("sprogtro_cues")(Doc(nlp_rules.vocab, words=words)))
        assert not doc.spans["sprogtro_cues"][0]._.negated
    finally:
        context.use_parse = True


def test_decisions_institution_compound_is_no_deficit(nlp_rules):
    from sprogtro.nlp.decisions import rule_labels

    doc = nlp_rules("Han går til samtaler på misbrugscentret hver uge.")
    assert rule_labels(list(doc.spans["sprogtro_cues"]))["framing"] == "neutral"
    doc = nlp_rules("Han har et misbrug af hash.")
    assert rule_labels(list(doc.spans["sprogtro_cues"]))["framing"] == "deficit"


def test_decisions_polarity_features_across_contrast(nlp_rules):
    from sprogtro.nlp.decisions import polarity_features

    doc = nlp_rules("Hun har angst, men hun er meget omhyggelig.")
    feats = polarity_features(list(doc.spans["sprogtro_cues"]), list(doc.spans["sprogtro_modifiers"]))
    assert "mixed_both" in feats and "mixed_across_contrast" in feats


@pytest.mark.parametrize("words,heads,deps,agency", [
    (["Borgeren", "har", "fundet", "en", "praktikplads", "."], [2, 2, 2, 4, 2, 2],
     ["nsubj", "aux", "ROOT", "det", "obj", "punct"], "agent"),
    (["Borgeren", "blev", "henvist", "til", "psykolog", "."], [2, 2, 2, 4, 2, 2],
     ["nsubj:pass", "aux:pass", "ROOT", "case", "obl", "punct"], "object"),
    (["Vi", "har", "henvist", "borgeren", "til", "psykolog", "."], [2, 2, 2, 2, 5, 2, 2],
     ["nsubj", "aux", "ROOT", "obj", "case", "obl", "punct"], "object"),
])
def test_decisions_agency_reads_the_parse(nlp_rules, words, heads, deps, agency):
    """With a dependency parse, agency comes from the citizen's relation to the verb (passive subject and
    object: the citizen is acted on)."""
    from spacy.tokens import Doc

    doc = Doc(nlp_rules.vocab, words=words, heads=heads, deps=deps, sent_starts=[True] + [False] * (len(words) - 1))
    for name in ("sprogtro_cues", "sprogtro_context", "sprogtro_labeller"):
        doc = nlp_rules.get_pipe(name)(doc)
    [sent] = doc.spans["sprogtro_sentences"]
    assert (sent._.referent, sent._.agency) == ("borgeren", agency)
