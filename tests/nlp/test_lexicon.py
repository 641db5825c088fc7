"""The lexicons are data: every entry is complete and matches its own example, and a lexicon change takes
effect without touching code."""

from __future__ import annotations

import shutil
import warnings

import pytest

from sprogtro.nlp.lexicon import CUE_CATEGORIES, LexiconError, Rule, load_lexicon, read_lexicon_file
from sprogtro.nlp.rule_matcher import RuleMatcher
from sprogtro.resources import lexicon_dir

LEXICON = load_lexicon()
ENTRIES = [r for r in LEXICON.rules if r.category != "filler"]


def test_lexicon_has_hundreds_of_entries_in_every_category():
    counts = {}
    for rule in LEXICON.rules:
        counts[rule.category] = counts.get(rule.category, 0) + 1
    assert len(LEXICON) >= 400
    for category in CUE_CATEGORIES + ("negation", "hedge", "contrast", "condition", "horizon", "target",
                                      "referent", "experiencer", "filler"):
        assert counts.get(category, 0) >= 3, category


def test_lexicon_every_entry_has_code_and_example():
    for rule in LEXICON.rules:
        assert rule.code and rule.example.strip(), rule.source


@pytest.fixture(scope="module")
def compiled(nlp_rules):
    cues = nlp_rules.get_pipe("sprogtro_cues")
    tokenize = lambda text: [t.text for t in nlp_rules.make_doc(text)]  # noqa: E731
    return nlp_rules, cues.fillers, cues.max_fillers, tokenize


@pytest.mark.parametrize("rule", ENTRIES, ids=[r.source for r in ENTRIES])
def test_lexicon_entry_matches_its_example(compiled, rule):
    nlp, fillers, max_fillers, tokenize = compiled
    matcher = RuleMatcher(nlp.vocab, [rule], fillers=fillers, max_fillers=max_fillers, tokenize=tokenize)
    assert matcher(nlp(rule.example)), f"{rule.source}: {rule.pattern!r} does not match {rule.example!r}"


def test_lexicon_rejects_unknown_keys(tmp_path):
    path = tmp_path / "deficit.yml"
    path.write_text("category: deficit\nentries:\n  - {pattern: mangler, kode: deficit}\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="unknown key.*kode.*allowed"):
        read_lexicon_file(path)


def test_lexicon_rule_round_trip():
    rule = LEXICON.rules[0]
    assert Rule.from_dict(rule.to_dict(), category=rule.category) == rule


def test_lexicon_change_needs_no_code_change(tmp_path):
    """Adding one entry to a copy of the lexicons changes the coding of a sentence."""
    from sprogtro.nlp.models import load_pipeline

    folder = tmp_path / "da"
    shutil.copytree(lexicon_dir("da"), folder)
    text = "Borgeren er en rigtig knagestærk fyr."
    before = load_pipeline("fallback", lexicon_dir=folder, combine="rules", quiet=True)
    assert before.get_pipe("sprogtro_labeller").label_texts([text])[0]["rules"]["framing"] == "neutral"
    with (folder / "resource.yml").open("a", encoding="utf-8") as fh:
        fh.write('  - {pattern: "knagestærk", group: test, example: "Han er knagestærk."}\n')
    after = load_pipeline("fallback", lexicon_dir=folder, combine="rules", quiet=True)
    assert after.get_pipe("sprogtro_labeller").label_texts([text])[0]["rules"]["framing"] == "resource"


def test_lexicon_spacy_token_pattern_entries_match_beside_phrases(tmp_path):
    """A rule written as a spaCy token pattern (list of dicts) goes through spaCy's Matcher and yields a
    cue like a phrase rule; it may use any token attribute, here the shape of a number."""
    from sprogtro.nlp.models import load_pipeline

    folder = tmp_path / "da"
    shutil.copytree(lexicon_dir("da"), folder)
    text = "Hun har været ledig i 14 måneder."
    before = load_pipeline("fallback", lexicon_dir=folder, combine="rules", quiet=True)
    doc = before(text)
    assert "ledig i" not in " ".join(c.text for c in doc.spans["sprogtro_cues"])
    with (folder / "waiting.yml").open("a", encoding="utf-8") as fh:
        fh.write('  - {pattern: [{LOWER: ledig}, {LOWER: i}, {SHAPE: dd}, {LOWER: {IN: [måneder, år]}}], '
                 'group: test, example: "Han har været ledig i 20 år."}\n')
    after = load_pipeline("fallback", lexicon_dir=folder, combine="rules", quiet=True)
    doc = after(text)
    cues = [(c.text, c.label_, c._.cue_group) for c in doc.spans["sprogtro_cues"]]
    assert ("ledig i 14 måneder", "waiting", "test") in cues


def test_lexicon_empty_folder_warns_once(tmp_path):
    import spacy

    nlp = spacy.blank("da")
    nlp.add_pipe("sentencizer")
    cues = nlp.add_pipe("sprogtro_cues", config={"lexicon_dir": str(tmp_path)})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cues.initialize()
        nlp("Hun mangler motivation.")
        nlp("Hun mangler motivation.")
    messages = [str(w.message) for w in caught]
    assert sum("no lexicon rules" in m for m in messages) == 2  # one from loading, one (once) from matching


def test_lexicon_lookalike_entry_takes_its_words_from_a_shorter_cue(tmp_path):
    """A ``code: none`` entry wins its words from the cue it resembles and is no cue itself; without it
    the same words are a cue."""
    from sprogtro.nlp.models import load_pipeline

    folder = tmp_path / "da"
    shutil.copytree(lexicon_dir("da"), folder)
    text = "Borgeren er en rigtig knagestærk fyr, men knagestærk kaffe drikker han ikke."
    with (folder / "resource.yml").open("a", encoding="utf-8") as fh:
        fh.write('  - {pattern: "knagestærk", group: test, example: "Han er knagestærk."}\n')
    plain = load_pipeline("fallback", lexicon_dir=folder, combine="rules", quiet=True)
    doc = plain(text)
    assert [c.text for c in doc.spans["sprogtro_cues"] if c.label_ == "resource"] == ["knagestærk"] * 2
    with (folder / "resource.yml").open("a", encoding="utf-8") as fh:
        fh.write('  - {pattern: "knagestærk kaffe", code: none, example: "Knagestærk kaffe."}\n')
    with_lookalike = load_pipeline("fallback", lexicon_dir=folder, combine="rules", quiet=True)
    doc = with_lookalike(text)
    assert [(c.start, c.label_) for c in doc.spans["sprogtro_cues"] if c.label_ in ("resource", "none")] == [(4, "resource")]
