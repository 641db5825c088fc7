"""``sprogtro train-pipeline``: train, evaluate and package ``sprogtro_da``, sprogtro's own offline Danish
pipeline (tok2vec → morphologizer → trainable lemmatizer → NER → sentencizer; no vectors, a few MB).

Steps, all deterministic for a given ``--seed``:

1. convert the DDT/UNER files (:mod:`sprogtro.nlp.ddt`) to DocBin: train (DDT with UD dev/test held
   out, plus renamed copies of sentences with persons and lower-/upper-cased copies), dev (UD dev +
   UNER dev) and test (UD test + UNER test);
2. train with spaCy's training loop and ``configs/sprogtro_da.cfg``;
3. evaluate the best model on the test split, cased and lower-cased, and write ``metrics.json``;
4. save the pipeline with its meta (licence, sources, figures) and ``MODEL_CARD.md`` to
   ``OUT/sprogtro_da`` and, with ``--install-to``, copy it there (the shipped copy lives in
   ``src/sprogtro/nlp/models/sprogtro_da``).

The output folders hold data derived from CC BY-SA 4.0 corpora; the model inherits that licence.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import click

from sprogtro.errors import SprogtroError
from sprogtro.resources import data_path

MODEL_NAME = "sprogtro_da"
MODEL_VERSION = "0.1.0"
LICENSE = "CC BY-SA 4.0"
SOURCES = [
    {
        "name": "Danish Dependency Treebank (DDT), original CDT release",
        "url": "https://github.com/mbkromann/copenhagen-dependency-treebank",
        "license": "CC BY-SA 4.0 (or MIT)",
        "author": "Matthias Buch-Kromann, Line Mikkelsen, Stine Kern Lynge et al.",
    },
    {
        "name": "UD Danish-DDT (dev/test, evaluation)",
        "url": "https://github.com/UniversalDependencies/UD_Danish-DDT",
        "license": "CC BY-SA 4.0",
        "author": "Johannsen, Martínez Alonso, Plank (2015) and the UD contributors",
    },
    {
        "name": "Universal NER, Danish-DDT (UNER_Danish-DDT)",
        "url": "https://github.com/UniversalNER/UNER_Danish-DDT",
        "license": "CC BY-SA 4.0",
        "author": "Mayhew et al. (2024), from the DaNE annotation by Hvingelby et al. (2020)",
    },
]


def default_config_path() -> Path:
    return data_path("configs", f"{MODEL_NAME}.cfg")


# ---------------------------------------------------------------- conversion


def swap_names() -> tuple[list[str], list[str]]:
    """First names and surnames for renamed training copies: sprogtro's privacy gazetteers."""
    import csv
    import io

    from sprogtro.privacy.lexicon import data_text

    def column(name: str) -> list[str]:
        return sorted({row["name"] for row in csv.DictReader(io.StringIO(data_text(name))) if row.get("name")})

    return column("first_names.csv"), column("surnames.csv")


def convert(
    data_dir: Path, corpus_dir: Path, *, seed: int, lower_fraction: float, upper_fraction: float, name_copies: int = 0
) -> dict:
    """DDT/UNER → ``train.spacy``, ``dev.spacy``, ``test.spacy`` in ``corpus_dir``; returns conversion facts."""
    import spacy
    from spacy.tokens import DocBin

    from sprogtro.nlp.ddt import case_variants, load_ddt, name_swaps, to_doc

    data = load_ddt(data_dir)
    vocab = spacy.blank("da").vocab
    corpus_dir.mkdir(parents=True, exist_ok=True)
    renamed = name_swaps(data.train, name_copies, *swap_names(), seed=seed) if name_copies else []
    train = case_variants(data.train + renamed, lower_fraction, upper_fraction, seed)
    for name, sentences in (("train", train), ("dev", data.dev), ("test", data.test)):
        DocBin(docs=(to_doc(vocab, s) for s in sentences), store_user_data=False).to_disk(corpus_dir / f"{name}.spacy")
    stats = dict(data.stats)
    stats["train_docs_with_case_copies"] = len(train)
    stats["lower_fraction"], stats["upper_fraction"] = lower_fraction, upper_fraction
    stats["name_copies"], stats["renamed_sentences"] = name_copies, len(renamed)
    stats["train_tokens"] = sum(len(s.words) for s in train)
    return stats


# ---------------------------------------------------------------- evaluation


def _examples(nlp, sentences, case=None):
    from spacy.training import Example

    from sprogtro.nlp.ddt import recase, to_doc

    examples = []
    for sentence in sentences:
        if case is not None:
            sentence = recase(sentence, case, keep_lemmas=True)
        reference = to_doc(nlp.vocab, sentence)
        examples.append(Example(nlp.make_doc(reference.text), reference))
    return examples


def evaluate(nlp, sentences) -> dict[str, Any]:
    """POS/morph/lemma accuracy and NER P/R/F per type on ``sentences``, cased and lower-cased."""
    out: dict[str, Any] = {}
    for variant, case in (("cased", None), ("lower", str.lower)):
        scores = nlp.evaluate(_examples(nlp, sentences, case))
        out[variant] = {
            "pos_acc": scores.get("pos_acc"),
            "morph_acc": scores.get("morph_acc"),
            "lemma_acc": scores.get("lemma_acc"),
            "ents_p": scores.get("ents_p"),
            "ents_r": scores.get("ents_r"),
            "ents_f": scores.get("ents_f"),
            "ents_per_type": scores.get("ents_per_type"),
            "words_per_second": scores.get("speed"),
        }
    return out


# ---------------------------------------------------------------- training


def train(
    data_dir: Path,
    out_dir: Path,
    *,
    config_path: Path | None = None,
    max_steps: int | None = None,
    seed: int = 0,
    lower_fraction: float = 0.8,
    upper_fraction: float = 0.2,
    name_copies: int = 2,
    eval_frequency: int | None = None,
    install_to: Path | None = None,
    name_probe: bool = True,
    log=None,
) -> dict[str, Any]:
    """Convert, train, evaluate and save ``sprogtro_da``; return the metrics (also in ``out_dir/metrics.json``)."""
    from spacy.cli.train import train as spacy_train
    from thinc.api import fix_random_seed

    log = log or (lambda message: click.echo(message, err=True))
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    config_path = Path(config_path) if config_path else default_config_path()
    for required in ("cdt_ddt/ddt_cdt_da.conll", "cdt_ddt/ud_split.tsv", "da_ddt-ud-dev.conllu",
                     "da_ddt-ud-test.conllu", "uner/da_ddt-ud-train.iob2"):
        if not (data_dir / required).is_file():
            raise SprogtroError(f"{data_dir} lacks {required}: point --data at the ud_danish_ddt folder")
    fix_random_seed(seed)
    corpus_dir = out_dir / "corpus"
    log(f"converting DDT/UNER from {data_dir} → {corpus_dir}")
    stats = convert(data_dir, corpus_dir, seed=seed, lower_fraction=lower_fraction, upper_fraction=upper_fraction,
                    name_copies=name_copies)
    log(f"train docs (with case copies): {stats['train_docs_with_case_copies']}, tokens: {stats['train_tokens']}")

    overrides: dict[str, Any] = {
        "paths.train": str(corpus_dir / "train.spacy"),
        "paths.dev": str(corpus_dir / "dev.spacy"),
        "system.seed": seed,
    }
    if max_steps is not None:
        overrides["training.max_steps"] = max_steps
    if eval_frequency is not None:
        overrides["training.eval_frequency"] = eval_frequency
    training_dir = out_dir / "training"
    trained_at = time.time()
    spacy_train(config_path, training_dir, overrides=overrides, use_gpu=-1)
    if max_steps is None:
        from thinc.api import Config

        max_steps = Config().from_disk(config_path, interpolate=False)["training"]["max_steps"]
    return finish(
        out_dir, stats, seed=seed, max_steps=max_steps, config_name=config_path.name,
        train_seconds=time.time() - trained_at, name_probe=name_probe, install_to=install_to, log=log,
    )


def finish(
    out_dir: Path,
    stats: dict[str, Any],
    *,
    seed: int,
    max_steps: int,
    config_name: str,
    train_seconds: float,
    name_probe: bool = True,
    install_to: Path | None = None,
    log=None,
) -> dict[str, Any]:
    """Evaluate ``OUT/training/model-best`` on ``OUT/corpus`` test and dev, save ``OUT/sprogtro_da`` with
    meta and model card, write ``OUT/metrics.json`` and optionally install the pipeline."""
    import spacy
    from spacy.tokens import DocBin

    log = log or (lambda message: click.echo(message, err=True))
    out_dir = Path(out_dir)
    training_dir, corpus_dir = out_dir / "training", out_dir / "corpus"
    best = training_dir / "model-best"
    nlp = spacy.load(best if best.exists() else training_dir / "model-last")
    splits = {
        name: [_sentence_from_doc(d) for d in DocBin().from_disk(corpus_dir / f"{name}.spacy").get_docs(nlp.vocab)]
        for name in ("test", "dev")
    }
    metrics: dict[str, Any] = {
        "model": MODEL_NAME,
        "version": MODEL_VERSION,
        "seed": seed,
        "max_steps": max_steps,
        "config": config_name,
        "conversion": stats,
        "train_seconds": round(train_seconds, 1),
        "test": evaluate(nlp, splits["test"]),
        "dev": evaluate(nlp, splits["dev"]),
    }
    if name_probe:  # recall on person names outside the gazetteers, with and without the model
        from sprogtro.nlp.name_recall import measure

        metrics["pseudonymization"] = measure(nlp)
    model_dir = out_dir / MODEL_NAME
    save_model(nlp, model_dir, metrics)
    _write_atomic(out_dir / "metrics.json", json.dumps(metrics, indent=2, ensure_ascii=False) + "\n")
    log(summary_line(metrics))
    if install_to is not None:
        install(model_dir, Path(install_to))
        log(f"installed {MODEL_NAME} → {install_to}")
    return metrics


def _sentence_from_doc(doc):
    """Back from a gold Doc to the annotation lists (for recased evaluation copies)."""
    from sprogtro.nlp.ddt import Sentence

    ner = None
    if doc.has_annotation("ENT_IOB"):
        ner = [f"{t.ent_iob_}-{t.ent_type_}" if t.ent_iob_ in ("B", "I") else "O" for t in doc]
    return Sentence(
        words=[t.text for t in doc],
        spaces=[bool(t.whitespace_) for t in doc],
        pos=[t.pos_ for t in doc] if doc.has_annotation("POS") else None,
        morphs=[str(t.morph) for t in doc] if doc.has_annotation("MORPH") else None,
        lemmas=[t.lemma_ for t in doc] if doc.has_annotation("LEMMA") else None,
        ner=ner,
    )


def save_model(nlp, model_dir: Path, metrics: dict[str, Any]) -> None:
    """Save with a complete meta (name, licence, sources, figures), no training paths, and the model card."""
    from thinc.api import Config

    test = metrics["test"]
    nlp.meta.update(
        {
            "name": MODEL_NAME,
            "version": MODEL_VERSION,
            "description": (
                "sprogtro's offline Danish pipeline: morphologizer (UPOS + features), trainable lemmatizer, "
                "NER (PER/ORG/LOC, trained with lower/upper-case copies), sentencizer. No vectors."
            ),
            "license": LICENSE,
            "author": "sprogtro maintainers; data by the DDT, UD Danish-DDT and UNER authors",
            "sources": SOURCES,
            "performance": {
                "pos_acc": test["cased"]["pos_acc"],
                "morph_acc": test["cased"]["morph_acc"],
                "lemma_acc": test["cased"]["lemma_acc"],
                "ents_f": test["cased"]["ents_f"],
                "ents_f_lowercase": test["lower"]["ents_f"],
                "ents_per_type": test["cased"]["ents_per_type"],
                "ents_per_type_lowercase": test["lower"]["ents_per_type"],
            },
        }
    )
    if model_dir.exists():
        shutil.rmtree(model_dir)
    nlp.to_disk(model_dir)
    config_file = model_dir / "config.cfg"
    config = Config().from_disk(config_file, interpolate=False)
    for key in ("train", "dev"):
        config["paths"][key] = None
    config.to_disk(config_file)
    (model_dir / "MODEL_CARD.md").write_text(model_card(metrics), encoding="utf-8")


def install(model_dir: Path, target: Path) -> None:
    """Copy the pipeline to ``target`` next to it first, then swap it in (an old copy is replaced)."""
    staging = target.with_name(target.name + ".installing")
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(model_dir, staging)
    if target.exists():
        shutil.rmtree(target)
    os.replace(staging, target)


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


# ---------------------------------------------------------------- reporting


def _pct(value) -> str:
    return "–" if value is None else f"{100 * value:.1f}"


def summary_line(metrics: dict[str, Any]) -> str:
    cased, lower = metrics["test"]["cased"], metrics["test"]["lower"]
    return (
        f"test: POS {_pct(cased['pos_acc'])}  lemma {_pct(cased['lemma_acc'])}  morph {_pct(cased['morph_acc'])}  "
        f"NER F1 {_pct(cased['ents_f'])} (lower-cased text {_pct(lower['ents_f'])})"
    )


def ner_table(metrics: dict[str, Any], split: str = "test") -> str:
    rows = ["| type | F1 cased | P / R cased | F1 lower-cased | P / R lower-cased |", "|---|---|---|---|---|"]
    cased = metrics[split]["cased"]["ents_per_type"] or {}
    lower = metrics[split]["lower"]["ents_per_type"] or {}
    for label in ("PER", "ORG", "LOC"):
        c, lo = cased.get(label, {}), lower.get(label, {})
        rows.append(
            f"| {label} | {_pct(c.get('f'))} | {_pct(c.get('p'))} / {_pct(c.get('r'))} | {_pct(lo.get('f'))} | "
            f"{_pct(lo.get('p'))} / {_pct(lo.get('r'))} |"
        )
    c, lo = metrics[split]["cased"], metrics[split]["lower"]
    rows.append(
        f"| all | {_pct(c['ents_f'])} | {_pct(c['ents_p'])} / {_pct(c['ents_r'])} | {_pct(lo['ents_f'])} | "
        f"{_pct(lo['ents_p'])} / {_pct(lo['ents_r'])} |"
    )
    return "\n".join(rows)


def model_card(metrics: dict[str, Any]) -> str:
    """MODEL_CARD.md from the metrics of one training run (``pseudonymization`` figures added when present)."""
    conv = metrics["conversion"]
    test = metrics["test"]
    mapping = conv.get("mapping_agreement_on_test", {})
    pseudo = metrics.get("pseudonymization")
    pseudo_text = ""
    if pseudo:
        pseudo_text = "\n## Pseudonymization: person names not in the gazetteers\n\n" + pseudo.get("table", "") + "\n"
    return f"""# sprogtro_da {metrics['version']}

sprogtro's own small Danish spaCy pipeline for machines without internet, where `da_core_news_*` cannot be
installed. sprogtro loads it between `da_core_news_sm` and the blank fallback.

- Components: `tok2vec` (hash embeddings of NORM/PREFIX/SUFFIX/SHAPE + CNN, width 96, depth 4),
  `morphologizer` (UPOS + UD features), `trainable_lemmatizer` (edit trees), `ner` (PER, ORG, LOC),
  `sentencizer` (rules). No word vectors. spaCy built-ins only: `spacy.load(path)` needs no sprogtro code.
- Trained by `sprogtro train-pipeline --data ../shared/data/ud_danish_ddt --out OUT --seed {metrics['seed']}`
  with `configs/sprogtro_da.cfg` ({metrics['train_seconds']:.0f} s of training on CPU).

## Test figures (UD Danish-DDT test, {conv['test_sentences']} sentences; UNER test for NER)

| | cased text | lower-cased text |
|---|---|---|
| POS accuracy (UPOS) | {_pct(test['cased']['pos_acc'])} | {_pct(test['lower']['pos_acc'])} |
| Morphological features (all correct) | {_pct(test['cased']['morph_acc'])} | {_pct(test['lower']['morph_acc'])} |
| Lemma accuracy | {_pct(test['cased']['lemma_acc'])} | {_pct(test['lower']['lemma_acc'])} |
| NER F1 (PER/ORG/LOC) | {_pct(test['cased']['ents_f'])} | {_pct(test['lower']['ents_f'])} |

NER per type (test):

{ner_table(metrics)}

Lower-cased text: the same test sentences with every character lower-cased (names included), as in
transcripts from speech recognition. Tokenisation is spaCy's Danish tokenizer on the raw text, so
figures include tokenisation errors.
{pseudo_text}
## Training data

- Tags, features, lemmas: the original DDT (Copenhagen Dependency Treebank release, {conv['ddt_sentences']}
  sentences), leaving out the {conv['excluded_ud_dev_test']} sentences that `ud_split.tsv` maps to UD dev/test
  and {conv['excluded_near_duplicates']} unmatched sentences that overlap a dev/test sentence by ≥80 % of
  their words: {conv['train_ddt_sentences']} sentences. PAROLE tags are mapped to UPOS and UD features by a
  backoff table learned on the DDT sentences that are also in UD dev ({conv['mapping_learned_on_dev_tokens']}
  tokens; never test). Checked on the UD test sentences the converted annotation agrees with UD gold for
  {_pct(mapping.get('pos'))} % of POS tags, {_pct(mapping.get('morph'))} % of feature sets and
  {_pct(mapping.get('lemma'))} % of lemmas: a ceiling for what the model can learn.
- Names: Universal NER labels on the DDT train split ({conv['train_ner_sentences']} sentences, of which
  {conv['train_ner_only_sentences']} with tokens that differ from the DDT file are NER-only examples).
  MISC is not used.
- Renamed copies: {conv.get('name_copies', 0)} copies of each training sentence that mentions a person, every
  person renamed at random from sprogtro's name gazetteers ({conv.get('renamed_sentences', 0)} sentences), so
  the model learns the contexts of names rather than the names themselves.
- Case augmentation: lower-cased copies of {_pct(conv['lower_fraction'])} % and upper-cased copies of
  {_pct(conv['upper_fraction'])} % of the training sentences, renamed copies included
  ({conv['train_docs_with_case_copies']} docs, {conv['train_tokens']} tokens in all).
- Development set for model selection: UD dev + UNER dev ({conv['dev_sentences']} sentences).

## Licence and attribution

The model is derived from data licensed CC BY-SA 4.0 and is itself licensed **CC BY-SA 4.0** (the rest of
sprogtro is MIT). Attribution:

- Danish Dependency Treebank / Copenhagen Dependency Treebank: Matthias Buch-Kromann, Line Mikkelsen and
  Stine Kern Lynge (CBS); data from the PAROLE-DK corpus. https://github.com/mbkromann/copenhagen-dependency-treebank
  (CC BY-SA 4.0 or MIT, licence update 2020).
- UD Danish-DDT: Anders Johannsen, Héctor Martínez Alonso, Barbara Plank (2015), "Universal Dependencies
  for Danish", TLT14. https://github.com/UniversalDependencies/UD_Danish-DDT (CC BY-SA 4.0).
- Universal NER: Stephen Mayhew et al. (2024), "Universal NER: A Gold-Standard Multilingual Named Entity
  Recognition Benchmark", NAACL; Danish labels from DaNE, Rasmus Hvingelby et al. (2020), "DaNE: A Named
  Entity Resource for Danish", LREC. https://github.com/UniversalNER/UNER_Danish-DDT (CC BY-SA 4.0).

Changes: PAROLE tags converted to UPOS/UD features, lemmas of adjectival adverbs and quotes adjusted to
UD, MISC entities dropped, case-augmented copies added. The training files themselves are not distributed
with sprogtro.

## Limits

Newspaper text from the 1980s–90s, not case notes: expect lower figures on caseworker prose and speech.
No parser (sentence boundaries are rule-based), no vectors. Use NER hits as evidence next to gazetteers
and context rules, not alone.
"""


# ---------------------------------------------------------------- CLI


@click.command(name="train-pipeline")
@click.option("--data", "data_dir", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The ud_danish_ddt folder (DDT, UD dev/test, UNER).")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder: corpus/, training/, sprogtro_da/, metrics.json.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="spaCy config (default: configs/sprogtro_da.cfg).")
@click.option("--max-steps", type=click.IntRange(min=1), help="Override training.max_steps.")
@click.option("--eval-frequency", type=click.IntRange(min=1), help="Override training.eval_frequency.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for augmentation and training.")
@click.option("--lower-fraction", type=click.FloatRange(0, 1), default=0.8, show_default=True,
              help="Share of training sentences that get a lower-cased copy.")
@click.option("--upper-fraction", type=click.FloatRange(0, 1), default=0.2, show_default=True,
              help="Share of training sentences that get an upper-cased copy.")
@click.option("--name-copies", type=click.IntRange(min=0), default=2, show_default=True,
              help="Renamed copies of each sentence that mentions a person (names from the gazetteers).")
@click.option("--install-to", type=click.Path(file_okay=False, path_type=Path),
              help="Also copy the trained pipeline here (e.g. src/sprogtro/nlp/models/sprogtro_da).")
def train_pipeline_command(data_dir, out_dir, config_path, max_steps, eval_frequency, seed, lower_fraction,
                           upper_fraction, name_copies, install_to) -> None:
    """Train sprogtro_da, the offline Danish pipeline (POS, lemmas, lower-case-robust NER), from DDT/UNER.

    Writes OUT/sprogtro_da (a spaCy pipeline with MODEL_CARD.md) and OUT/metrics.json. The data and the
    trained model are CC BY-SA 4.0: keep the data files out of the repository.

    \b
    Example:
      nice sprogtro train-pipeline --data ../shared/data/ud_danish_ddt --out /tmp/sprogtro_da \\
          --install-to src/sprogtro/nlp/models/sprogtro_da
    """
    train(data_dir, out_dir, config_path=config_path, max_steps=max_steps, seed=seed,
          lower_fraction=lower_fraction, upper_fraction=upper_fraction, name_copies=name_copies,
          eval_frequency=eval_frequency, install_to=install_to)
    click.echo(str(out_dir / MODEL_NAME))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(train_pipeline_command())
