"""A tiny fictional stand-in for ../shared/data/ud_danish_ddt, in the same five file formats.

Sentences are invented for the tests; they only have to be well-formed enough to exercise conversion,
training and evaluation. Columns follow the real files (CoNLL-X DDT, CoNLL-U, UNER IOB2, ud_split.tsv).
"""

from __future__ import annotations

from pathlib import Path

import pytest

# (words, lemmas, coarse PAROLE, full PAROLE, heads, relations, UPOS, UD feats, IOB2)
SENTENCES = [
    (
        "Karina Jensen bor i Odense .".split(),
        "Karina Jensen bo i Odense .".split(),
        "NP NP VA SP NP XP".split(),
        "NP--U==- NP--U==- VADR=----A- SP NP--U==- XP".split(),
        [2, 3, 0, 3, 4, 3],
        "namef subj ROOT mod nobj pnct".split(),
        "PROPN PROPN VERB ADP PROPN PUNCT".split(),
        ["_", "_", "Mood=Ind|Tense=Pres|VerbForm=Fin|Voice=Act", "AdpType=Prep", "_", "_"],
        "B-PER I-PER O O B-LOC O".split(),
    ),
    (
        "Hun arbejder hos Brødrene Holst i Vejle .".split(),
        "hun arbejde hos Brødrene Holst i Vejle .".split(),
        "PP VA SP NP NP SP NP XP".split(),
        "PP3CSN-NU VADR=----A- SP NP--U==- NP--U==- SP NP--U==- XP".split(),
        [2, 0, 2, 5, 3, 2, 6, 2],
        "subj ROOT mod namef nobj mod nobj pnct".split(),
        "PRON VERB ADP PROPN PROPN ADP PROPN PUNCT".split(),
        ["Case=Nom|Gender=Com|Number=Sing|Person=3|PronType=Prs", "Mood=Ind|Tense=Pres|VerbForm=Fin|Voice=Act",
         "AdpType=Prep", "_", "_", "AdpType=Prep", "_", "_"],
        "O O O B-ORG I-ORG O B-LOC O".split(),
    ),
    (
        "Ali har været til samtale på jobcentret .".split(),
        "Ali have være til samtale på jobcenter .".split(),
        "NP VA VA SP NC SP NC XP".split(),
        "NP--U==- VADR=----A- VAPA=SIU-U- SP NCCSU==I SP NCNSU==D XP".split(),
        [2, 0, 2, 3, 4, 3, 6, 2],
        "subj ROOT vobj mod nobj mod nobj pnct".split(),
        "PROPN AUX VERB ADP NOUN ADP NOUN PUNCT".split(),
        ["_", "Mood=Ind|Tense=Pres|VerbForm=Fin|Voice=Act", "Tense=Past|VerbForm=Part", "AdpType=Prep",
         "Definite=Ind|Gender=Com|Number=Sing", "AdpType=Prep", "Definite=Def|Gender=Neut|Number=Sing", "_"],
        "B-PER O O O O O O O".split(),
    ),
    (
        "Mette vil gerne i praktik hos Lund Cykler .".split(),
        "Mette ville gerne i praktik hos Lund Cykler .".split(),
        "NP VA RG SP NC SP NP NP XP".split(),
        "NP--U==- VADR=----A- RGU SP NCCSU==I SP NP--U==- NP--U==- XP".split(),
        [2, 0, 2, 2, 4, 2, 8, 6, 2],
        "subj ROOT mod mod nobj mod namef nobj pnct".split(),
        "PROPN AUX ADV ADP NOUN ADP PROPN PROPN PUNCT".split(),
        ["_", "Mood=Ind|Tense=Pres|VerbForm=Fin|Voice=Act", "_", "AdpType=Prep",
         "Definite=Ind|Gender=Com|Number=Sing", "AdpType=Prep", "_", "_", "_"],
        "B-PER O O O O O B-ORG I-ORG O".split(),
    ),
]
# split of each sentence in the DDT file order, and its UD sent_id
SPLIT = [("train", "train-0"), ("dev", "dev-0"), ("test", "test-0"), ("train", "train-1")]


def write_ddt_sample(root: Path, copies: int = 3) -> Path:
    """Write the five files under ``root`` (the train sentences repeated ``copies`` times); return ``root``."""
    (root / "cdt_ddt").mkdir(parents=True, exist_ok=True)
    (root / "uner").mkdir(exist_ok=True)
    cdt, split_rows = [], ["cdt_sentence_index\tn_tokens\tud_split\tud_sent_id"]
    conllu = {"dev": [], "test": []}
    iob = {"train": [], "dev": [], "test": []}
    order = [(s, sp) for s, sp in zip(SENTENCES, SPLIT)]
    order += [(s, (part, f"{sid}-{k}")) for k in range(1, copies) for s, (part, sid) in zip(SENTENCES, SPLIT) if part == "train"]
    for index, (sentence, (part, sid)) in enumerate(order):
        words, lemmas, coarse, full, heads, rels, upos, feats, ner = sentence
        cdt.append("\n".join(
            f"{i + 1}\t{w}\t{lem}\t{c}\t{f}\t_\t{h}\t{r}\t_\t_"
            for i, (w, lem, c, f, h, r) in enumerate(zip(words, lemmas, coarse, full, heads, rels))
        ))
        split_rows.append(f"{index}\t{len(words)}\t{part}\t{sid}")
        text = " ".join(words[:-1]) + words[-1]
        if part in conllu:
            conllu[part].append(f"# sent_id = {sid}\n# text = {text}\n" + "\n".join(
                f"{i + 1}\t{w}\t{lem}\t{u}\t_\t{ft}\t0\tdep\t_\t{'SpaceAfter=No' if i + 2 == len(words) else '_'}"
                for i, (w, lem, u, ft) in enumerate(zip(words, lemmas, upos, feats))
            ))
        iob[part].append(f"# sent_id = {sid}\n# text = {text}\n" + "\n".join(
            f"{i + 1}\t{w}\t{t}\t{t}#O\ts" for i, (w, t) in enumerate(zip(words, ner))
        ))
    (root / "cdt_ddt" / "ddt_cdt_da.conll").write_text("\n\n".join(cdt) + "\n\n", encoding="utf-8")
    (root / "cdt_ddt" / "ud_split.tsv").write_text("\n".join(split_rows) + "\n", encoding="utf-8")
    for part, blocks in conllu.items():
        (root / f"da_ddt-ud-{part}.conllu").write_text("\n\n".join(blocks) + "\n\n", encoding="utf-8")
    for part, blocks in iob.items():
        (root / "uner" / f"da_ddt-ud-{part}.iob2").write_text("\n\n".join(blocks) + "\n\n", encoding="utf-8")
    return root


@pytest.fixture
def ddt_sample(tmp_path) -> Path:
    return write_ddt_sample(tmp_path / "ud_danish_ddt")
