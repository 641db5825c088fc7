"""The Danish Dependency Treebank as training data for ``sprogtro_da``.

Reads the three views of DDT that ``../shared/data/ud_danish_ddt`` holds and turns them into spaCy docs:

* ``cdt_ddt/ddt_cdt_da.conll``: the original DDT (CoNLL-X, PAROLE tags, DDT lemmas, DDT dependencies)
  for the UD *train* sentences, which are otherwise missing. ``cdt_ddt/ud_split.tsv`` maps each sentence
  to its UD split; sentences of UD dev/test are left out of training.
* ``da_ddt-ud-{dev,test}.conllu``: UD gold (UPOS, features, lemmas) for evaluation.
* ``uner/da_ddt-ud-{train,dev,test}.iob2``: Universal NER (PER/ORG/LOC) on the same sentences.

PAROLE tags are not UPOS. :class:`ParoleMapper` maps them with a backoff table learned on the DDT
sentences that are also in UD *dev* (never test): the key is the coarse PAROLE tag plus what decides
the UD tag in context (the lemma for closed classes, the DDT relation, whether the word governs a verb
or a noun, the head's tag), backing off to the coarse tag. Features come from the full PAROLE tag the
same way. Lemmas are DDT's, with UD's conventions for adverbs made from adjectives and quotes.
"""

from __future__ import annotations

import csv
import html
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

NER_LABELS = ("PER", "ORG", "LOC")
# PAROLE coarse tag → UPOS when nothing better is known (the majority reading on UD dev)
COARSE_UPOS = {
    "AC": "NUM", "AN": "ADJ", "AO": "ADJ", "CC": "CCONJ", "CS": "SCONJ", "I": "INTJ", "NC": "NOUN",
    "NP": "PROPN", "PC": "PRON", "PD": "DET", "PI": "DET", "PO": "DET", "PP": "PRON", "PT": "PRON",
    "RG": "ADV", "SP": "ADP", "U": "PART", "VA": "VERB", "VE": "VERB", "XA": "X", "XF": "X", "XP": "PUNCT",
    "XR": "SYM", "XS": "X", "XX": "X",
}
# closed classes: the lemma takes part in the mapping key
_CLOSED = {"U", "VA", "VE", "CS", "PD", "PI", "PO", "PP", "PC", "PT", "RG", "SP"}
_MIN_COUNT = 2
_NO_SPACE_BEFORE = {",", ".", "!", "?", ";", ":", ")", "]", "}", "%", "'", "…"}
_NO_SPACE_AFTER = {"(", "[", "{"}


@dataclass
class Sentence:
    """One sentence: tokens and whatever annotation the source has (``None`` = missing)."""

    words: list[str]
    sent_id: str | None = None
    spaces: list[bool] | None = None
    pos: list[str] | None = None
    morphs: list[str] | None = None
    lemmas: list[str] | None = None
    ner: list[str] | None = None  # IOB2 tags
    extra: dict = field(default_factory=dict)


# ---------------------------------------------------------------- readers


def _blocks(path: Path) -> Iterator[tuple[list[str], list[list[str]]]]:
    comments: list[str] = []
    rows: list[list[str]] = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not line.strip():
                if rows:
                    yield comments, rows
                comments, rows = [], []
            elif line.startswith("#"):
                comments.append(line)
            else:
                rows.append(line.split("\t"))
    if rows:
        yield comments, rows


def _sent_id(comments: list[str]) -> str | None:
    for line in comments:
        if line.startswith("# sent_id"):
            return line.split("=", 1)[1].strip()
    return None


def read_cdt(path: Path) -> list[Sentence]:
    """The original DDT file (CoNLL-X): words, DDT lemma, coarse and full PAROLE tag, head, relation."""
    sentences = []
    for _, rows in _blocks(path):
        words = [html.unescape(r[1]) for r in rows]
        sentence = Sentence(words=words)
        sentence.extra = {
            "lemma": [html.unescape(r[2]) for r in rows],
            "coarse": [r[3] for r in rows],
            "full": [r[4] for r in rows],
            "head": [int(r[6]) if r[6].isdigit() else 0 for r in rows],
            "rel": [r[7] for r in rows],
        }
        sentences.append(sentence)
    return sentences


def read_conllu(path: Path) -> dict[str, Sentence]:
    """UD CoNLL-U by sent_id (multi-word token and empty-node lines skipped)."""
    out: dict[str, Sentence] = {}
    for comments, rows in _blocks(path):
        rows = [r for r in rows if r[0].isdigit()]
        sid = _sent_id(comments) or str(len(out))
        out[sid] = Sentence(
            words=[r[1] for r in rows],
            sent_id=sid,
            spaces=["SpaceAfter=No" not in r[9] for r in rows[:-1]] + [False],
            pos=[r[3] for r in rows],
            morphs=["" if r[5] == "_" else r[5] for r in rows],
            lemmas=[r[2] for r in rows],
        )
    return out


def read_iob2(path: Path) -> dict[str, Sentence]:
    """UNER IOB2 by sent_id. Labels other than PER/ORG/LOC (MISC, OTH) become O."""
    out: dict[str, Sentence] = {}
    for comments, rows in _blocks(path):
        sid = _sent_id(comments) or str(len(out))
        tags = []
        for row in rows:
            tag = row[2] if len(row) > 2 else "O"
            tags.append(tag if tag[2:] in NER_LABELS else "O")
        out[sid] = Sentence(words=[r[1] for r in rows], sent_id=sid, ner=tags)
    return out


def read_split(path: Path) -> list[tuple[str, str | None]]:
    """``ud_split.tsv``: per DDT sentence (file order) its UD split and UD sent_id."""
    with open(path, encoding="utf-8", newline="") as handle:
        return [
            (row["ud_split"], None if row["ud_sent_id"] in ("", "_") else row["ud_sent_id"])
            for row in csv.DictReader(handle, delimiter="\t")
        ]


# ---------------------------------------------------------------- PAROLE → UD


class ParoleMapper:
    """UPOS, features and UD-style lemma for a DDT sentence, from a backoff table learned on aligned data."""

    def __init__(self) -> None:
        self.pos_tables: list[dict[tuple, Counter]] = []
        self.feat_table: dict[tuple, Counter] = defaultdict(Counter)
        self.feat_backoff: dict[str, Counter] = defaultdict(Counter)

    @staticmethod
    def _keys(sentence: Sentence, i: int) -> list[tuple]:
        x = sentence.extra
        coarse, rel = x["coarse"][i], x["rel"][i]
        lemma = x["lemma"][i].lower() if coarse in _CLOSED or coarse == "AN" else ""
        deps = {x["rel"][j] for j, h in enumerate(x["head"]) if h == i + 1}
        flags = ("vobj" in deps, "nobj" in deps, "pred" in deps)
        head = x["head"][i]
        head_tag = x["coarse"][head - 1] if 0 < head <= len(x["coarse"]) else "ROOT"
        return [
            (0, coarse, lemma, rel, flags, head_tag),
            (1, coarse, lemma, rel, flags),
            (2, coarse, rel, flags, head_tag),
            (3, coarse, lemma),
            (4, coarse, rel, flags),
            (5, coarse),
        ]

    def fit(self, pairs: Iterable[tuple[Sentence, Sentence]]) -> "ParoleMapper":
        """Learn from (DDT sentence, UD sentence) pairs with identical tokens."""
        tables: list[dict[tuple, Counter]] = [defaultdict(Counter) for _ in range(6)]
        for ddt, ud in pairs:
            for i in range(len(ddt.words)):
                for level, key in enumerate(self._keys(ddt, i)):
                    tables[level][key][ud.pos[i]] += 1
                self.feat_table[(ddt.extra["full"][i], ud.pos[i])][ud.morphs[i]] += 1
                self.feat_backoff[ud.pos[i]][ud.morphs[i]] += 1
        self.pos_tables = tables
        return self

    def upos(self, sentence: Sentence, i: int) -> str:
        for level, key in enumerate(self._keys(sentence, i)):
            counts = self.pos_tables[level].get(key) if self.pos_tables else None
            if counts and (sum(counts.values()) >= _MIN_COUNT or level == 5):
                return counts.most_common(1)[0][0]
        return COARSE_UPOS.get(sentence.extra["coarse"][i], "X")

    def feats(self, sentence: Sentence, i: int, upos: str) -> str:
        counts = self.feat_table.get((sentence.extra["full"][i], upos))
        if counts:
            return counts.most_common(1)[0][0]
        return ""  # unseen tag: POS only

    def convert(self, sentence: Sentence) -> Sentence:
        """A copy of a DDT sentence with UPOS, features and lemmas in UD style."""
        pos, morphs, lemmas = [], [], []
        for i, word in enumerate(sentence.words):
            upos = self.upos(sentence, i)
            pos.append(upos)
            morphs.append(self.feats(sentence, i, upos))
            lemma = sentence.extra["lemma"][i]
            if upos == "ADV" and sentence.extra["coarse"][i] == "AN":
                lemma = word.lower()  # UD: "godt", "helt" are their own lemma as adverbs
            elif upos == "PUNCT":
                lemma = word
            lemmas.append(lemma)
        return Sentence(
            words=list(sentence.words), sent_id=sentence.sent_id, spaces=guess_spaces(sentence.words),
            pos=pos, morphs=morphs, lemmas=lemmas, ner=sentence.ner, extra=sentence.extra,
        )


def guess_spaces(words: list[str]) -> list[bool]:
    """Whitespace after each token where the source does not record it (DDT): none before punctuation."""
    spaces = []
    for i, word in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else None
        spaces.append(nxt is not None and nxt not in _NO_SPACE_BEFORE and word not in _NO_SPACE_AFTER)
    return spaces


def agreement(mapper: ParoleMapper, pairs: Iterable[tuple[Sentence, Sentence]]) -> dict[str, float]:
    """How often the converted DDT annotation equals UD's (POS, features, lemma) on aligned sentences."""
    n = pos = feats = lemma = 0
    for ddt, ud in pairs:
        conv = mapper.convert(ddt)
        for i in range(len(ddt.words)):
            n += 1
            pos += conv.pos[i] == ud.pos[i]
            feats += conv.morphs[i] == ud.morphs[i]
            lemma += conv.lemmas[i] == ud.lemmas[i]
    return {"tokens": n, "pos": pos / max(n, 1), "morph": feats / max(n, 1), "lemma": lemma / max(n, 1)}


# ---------------------------------------------------------------- the data set


@dataclass
class DDTData:
    """Train sentences (converted DDT, UNER tags attached where the tokens agree, plus UNER-only
    sentences), dev and test (UD gold + UNER), and facts for the model card."""

    train: list[Sentence]
    dev: list[Sentence]
    test: list[Sentence]
    stats: dict


def _aligned(ddt: Sentence, ud: Sentence) -> bool:
    return ddt.words == ud.words


def _attach_ner(sentences: dict[str, Sentence], ner: dict[str, Sentence]) -> int:
    attached = 0
    for sid, sentence in sentences.items():
        tagged = ner.get(sid)
        if tagged is not None and tagged.words == sentence.words:
            sentence.ner = tagged.ner
            attached += 1
    return attached


def _signature(words: list[str]) -> set[str]:
    return {w.lower() for w in words if any(c.isalnum() for c in w)}


def load_ddt(data_dir: Path) -> DDTData:
    """Read ``data_dir`` (the ud_danish_ddt folder) and build train/dev/test sentences."""
    data_dir = Path(data_dir)
    cdt = read_cdt(data_dir / "cdt_ddt" / "ddt_cdt_da.conll")
    split = read_split(data_dir / "cdt_ddt" / "ud_split.tsv")
    if len(split) != len(cdt):
        raise ValueError(f"ud_split.tsv has {len(split)} rows but the DDT file {len(cdt)} sentences")
    dev = read_conllu(data_dir / "da_ddt-ud-dev.conllu")
    test = read_conllu(data_dir / "da_ddt-ud-test.conllu")
    ner = {
        part: read_iob2(data_dir / "uner" / f"da_ddt-ud-{part}.iob2") for part in ("train", "dev", "test")
    }

    dev_pairs = []
    for (part, sid), sentence in zip(split, cdt):
        sentence.sent_id = sid
        if part == "dev" and sid in dev and _aligned(sentence, dev[sid]):
            dev_pairs.append((sentence, dev[sid]))
    test_pairs = [
        (s, test[sid]) for (part, sid), s in zip(split, cdt) if part == "test" and sid in test and _aligned(s, test[sid])
    ]
    mapper = ParoleMapper().fit(dev_pairs)

    # DDT sentences for training: UD train and unmatched, minus unmatched ones that look like a held-out
    # sentence with different tokenisation (a 0.8 word overlap), which would leak dev/test into training.
    held_out = [_signature(s.words) for s in list(dev.values()) + list(test.values())]
    train: list[Sentence] = []
    dropped_near_duplicates = 0
    ner_by_id = ner["train"]
    used_ner: set[str] = set()
    for (part, sid), sentence in zip(split, cdt):
        if part in ("dev", "test"):
            continue
        if part != "train":
            sig = _signature(sentence.words)
            if sig and any(len(sig & h) >= 0.8 * max(len(sig), len(h)) for h in held_out if h):
                dropped_near_duplicates += 1
                continue
        converted = mapper.convert(sentence)
        tagged = ner_by_id.get(sid) if sid else None
        if tagged is not None and tagged.words == converted.words:
            converted.ner = tagged.ner
            used_ner.add(sid)
        train.append(converted)
    ner_only = [s for sid, s in ner_by_id.items() if sid not in used_ner]
    for sentence in ner_only:
        sentence.spaces = guess_spaces(sentence.words)
    train.extend(ner_only)

    dev_ner = _attach_ner(dev, ner["dev"])
    test_ner = _attach_ner(test, ner["test"])
    stats = {
        "ddt_sentences": len(cdt),
        "train_ddt_sentences": len(train) - len(ner_only),
        "train_ner_sentences": len(used_ner) + len(ner_only),
        "train_ner_only_sentences": len(ner_only),
        "excluded_ud_dev_test": sum(1 for part, _ in split if part in ("dev", "test")),
        "excluded_near_duplicates": dropped_near_duplicates,
        "dev_sentences": len(dev),
        "test_sentences": len(test),
        "dev_with_ner": dev_ner,
        "test_with_ner": test_ner,
        "mapping_learned_on_dev_tokens": sum(len(d.words) for d, _ in dev_pairs),
        "mapping_agreement_on_test": agreement(mapper, test_pairs),
    }
    return DDTData(train=train, dev=list(dev.values()), test=list(test.values()), stats=stats)


# ---------------------------------------------------------------- to spaCy


def case_variants(
    sentences: list[Sentence], lower_fraction: float, upper_fraction: float, seed: int
) -> list[Sentence]:
    """The sentences plus lower-cased copies of a ``lower_fraction`` and upper-cased copies of an
    ``upper_fraction`` of them (chosen with ``seed``). Lower-cased copies keep lower-cased lemmas;
    upper-cased copies drop lemmas (their edit trees would teach nothing)."""
    rng = random.Random(seed)
    out = list(sentences)
    for sentence in sentences:
        if rng.random() < lower_fraction:
            out.append(recase(sentence, str.lower, keep_lemmas=True))
        if rng.random() < upper_fraction:
            out.append(recase(sentence, str.upper, keep_lemmas=False))
    rng.shuffle(out)
    return out


def name_swaps(
    sentences: list[Sentence], copies: int, first_names: list[str], surnames: list[str], seed: int
) -> list[Sentence]:
    """Copies of the sentences that mention a person (PER), each person renamed at random.

    A model that has seen "Kjeld Christensen" a few times learns that name; renamed copies make it learn
    the contexts people appear in, so it finds names it has never seen (and later, lower-cased, names in
    transcripts). One-word persons get a first name (or, one time in three, a surname), longer ones first
    names and a surname; a genitive keeps its -s. The new words are PROPN with themselves as lemma.
    """
    rng = random.Random(seed)
    out: list[Sentence] = []
    for sentence in sentences:
        if not sentence.ner:
            continue
        people = [(s, e) for s, e, label in iob_spans(sentence.ner) if label == "PER"]
        if not people:
            continue
        for _ in range(copies):
            words, pos, lemmas = list(sentence.words), _copy(sentence.pos), _copy(sentence.lemmas)
            for start, end in people:
                n = end - start
                if n == 1:
                    new = [rng.choice(surnames) if rng.random() < 1 / 3 else rng.choice(first_names)]
                else:
                    new = [rng.choice(first_names) for _ in range(n - 1)] + [rng.choice(surnames)]
                for i, name in zip(range(start, end), new):
                    genitive = words[i].endswith("s") and sentence.morphs and "Case=Gen" in sentence.morphs[i]
                    words[i] = name + ("s" if genitive and not name.endswith("s") else "")
                    if pos is not None:
                        pos[i] = "PROPN"
                    if lemmas is not None:
                        lemmas[i] = name
            out.append(Sentence(words=words, sent_id=sentence.sent_id, spaces=sentence.spaces, pos=pos,
                                morphs=sentence.morphs, lemmas=lemmas, ner=sentence.ner))
    return out


def _copy(values: list[str] | None) -> list[str] | None:
    return list(values) if values is not None else None


def recase(sentence: Sentence, fn, keep_lemmas: bool) -> Sentence:
    return Sentence(
        words=[fn(w) for w in sentence.words],
        sent_id=sentence.sent_id,
        spaces=sentence.spaces,
        pos=sentence.pos,
        morphs=sentence.morphs,
        lemmas=[fn(lemma) for lemma in sentence.lemmas] if keep_lemmas and sentence.lemmas else None,
        ner=sentence.ner,
    )


def iob_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, label) token spans from IOB2 tags; a stray I- starts a new entity."""
    spans: list[tuple[int, int, str]] = []
    start, label = None, None
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, _, name = tag.partition("-")
        if start is not None and (prefix != "I" or name != label):
            spans.append((start, i, label))
            start, label = None, None
        if prefix in ("B", "I") and start is None:
            start, label = i, name
    return spans


def to_doc(vocab, sentence: Sentence):
    """A spaCy Doc with the sentence's annotation; missing layers stay missing (ignored in training)."""
    from spacy.tokens import Doc, Span

    spaces = sentence.spaces if sentence.spaces is not None else guess_spaces(sentence.words)
    doc = Doc(
        vocab,
        words=sentence.words,
        spaces=spaces,
        pos=sentence.pos,
        morphs=sentence.morphs,
        lemmas=sentence.lemmas,
    )
    if sentence.ner is not None:
        doc.set_ents([Span(doc, s, e, label=label) for s, e, label in iob_spans(sentence.ner)], default="outside")
    return doc
