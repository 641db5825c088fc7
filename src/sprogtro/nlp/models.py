"""Loading the Danish spaCy pipeline and adding sprogtro's components.

``load_pipeline("auto")`` tries, in order:

1. ``da_core_news_lg`` → ``da_core_news_md`` → ``da_core_news_sm`` (installed spaCy packages),
2. ``sprogtro_da``, the project's own small Danish pipeline (``src/sprogtro/nlp/models/sprogtro_da/``,
   when it has been trained and shipped),
3. the offline fallback: ``spacy.blank("da")`` + sentencizer + lookup lemmatizer (spacy-lookups-data) +
   ``sprogtro_lemmas`` (lower-case, compound and simplemma fallbacks). It lacks a parser, POS and NER:
   negation scope falls back to token windows and clause boundaries, and names are found by rules only.

Any other value is a spaCy package name or a path to a pipeline folder. stderr says which tier loaded
and what it lacks.
"""

from __future__ import annotations

import hashlib
import sys
import warnings
from pathlib import Path

import spacy
from spacy.language import Language

from sprogtro.errors import ModelError

AUTO_PACKAGES = ("da_core_news_lg", "da_core_news_md", "da_core_news_sm")
SPROGTRO_COMPONENTS = ("sprogtro_cues", "sprogtro_context", "sprogtro_labeller")
FALLBACK_TIER = "fallback"


def sprogtro_da_path() -> Path:
    """Where the project's own trained Danish pipeline lives (it may not exist)."""
    return Path(__file__).resolve().parent / "models" / "sprogtro_da"


def _say(message: str, quiet: bool) -> None:
    if not quiet:
        print(f"sprogtro: {message}", file=sys.stderr)


def blank_fallback() -> Language:
    """``spacy.blank("da")`` + sentencizer + lookup lemmatizer + sprogtro's lemma fallbacks."""
    nlp = spacy.blank("da")
    nlp.add_pipe("sentencizer")
    try:
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
    except Exception as exc:  # noqa: BLE001 - spacy-lookups-data missing or broken
        warnings.warn(f"lookup lemmatizer unavailable ({exc.__class__.__name__}); lemmas fall back to "
                      "lower-case forms and simplemma", stacklevel=2)
        if "lemmatizer" in nlp.pipe_names:
            nlp.remove_pipe("lemmatizer")
    nlp.add_pipe("sprogtro_lemmas")
    nlp.meta["name"] = "sprogtro_fallback"
    return nlp


def _lacks(nlp: Language) -> list[str]:
    lacks = []
    if "parser" not in nlp.pipe_names:
        lacks.append("dependency parse (negation scope uses clause boundaries)")
    if "ner" not in nlp.pipe_names:
        lacks.append("NER (names as referents only through rules)")
    if not {"tagger", "morphologizer"} & set(nlp.pipe_names):
        lacks.append("POS tags")
    return lacks


def load_base(model: str = "auto", *, quiet: bool = False) -> tuple[Language, str]:
    """Load the spaCy pipeline alone; returns ``(nlp, tier)``."""
    if model in (None, "", "auto"):
        for name in AUTO_PACKAGES:
            try:
                return spacy.load(name), name
            except (OSError, ImportError):
                continue
        own = sprogtro_da_path()
        if (own / "config.cfg").exists():
            try:
                return spacy.load(own), "sprogtro_da"
            except Exception as exc:  # noqa: BLE001
                _say(f"sprogtro_da could not be loaded ({exc.__class__.__name__}: {exc}); using the fallback", quiet)
        return blank_fallback(), FALLBACK_TIER
    if model == FALLBACK_TIER:
        return blank_fallback(), FALLBACK_TIER
    if model == "sprogtro_da":
        model = str(sprogtro_da_path())
    path = Path(model).expanduser()
    try:
        if path.exists():
            return spacy.load(path), str(path)
        return spacy.load(model), model
    except OSError as exc:
        raise ModelError(f"spaCy pipeline {model!r} not found: install the package, give a pipeline folder, "
                         "or use --model auto") from exc
    except Exception as exc:  # noqa: BLE001
        raise ModelError(f"spaCy pipeline {model!r} could not be loaded: {exc.__class__.__name__}: {exc}") from exc


def add_components(nlp: Language, *, lexicon_dir: str | Path | None = None, combine: str = "stack",
                   classifier_path: str | Path | None = None) -> Language:
    """Add sprogtro's components (when the pipeline does not carry them already) and load their rules."""
    if not ({"parser", "senter", "sentencizer"} & set(nlp.pipe_names)):
        nlp.add_pipe("sentencizer", first=True)
    lex = str(lexicon_dir) if lexicon_dir else None
    for name in SPROGTRO_COMPONENTS:
        if name in nlp.pipe_names:
            if lex and name != "sprogtro_labeller":
                nlp.get_pipe(name).initialize(lexicon_dir=lex)
            continue
        if name == "sprogtro_labeller":
            config = {"combine": combine, "model_path": str(classifier_path) if classifier_path else "bundled"}
        else:
            config = {"lexicon_dir": lex}
        pipe = nlp.add_pipe(name, config=config)
        if name != "sprogtro_labeller":
            pipe.initialize(lexicon_dir=lex)
    if "sprogtro_labeller" in nlp.pipe_names and (classifier_path or combine != "stack"):
        labeller = nlp.get_pipe("sprogtro_labeller")
        labeller.combine = combine
        if classifier_path:
            labeller.initialize(model_path=str(classifier_path))
    return nlp


def load_pipeline(model: str = "auto", *, lexicon_dir: str | Path | None = None, combine: str = "stack",
                  classifier_path: str | Path | None = None, quiet: bool = False) -> Language:
    """The Danish pipeline with sprogtro's components, ready for ``nlp.pipe``.

    ``model``: ``auto`` (tiers above), ``fallback``, ``sprogtro_da``, a spaCy package name or a path.
    ``lexicon_dir``: a lexicon folder other than the bundled one. ``combine``: ``stack`` (classifier reads
    the rule evidence; default), ``rules`` or ``classifier``. stderr says which tier loaded.
    """
    nlp, tier = load_base(model, quiet=quiet)
    add_components(nlp, lexicon_dir=lexicon_dir, combine=combine, classifier_path=classifier_path)
    nlp.meta["sprogtro_tier"] = tier
    lacks = _lacks(nlp)
    detail = f"; lacks: {', '.join(lacks)}" if lacks else ""
    _say(f"spaCy pipeline '{tier}' ({nlp.meta.get('name', '?')} {nlp.meta.get('version', '')}){detail}", quiet)
    return nlp


def rules_hash(nlp: Language) -> str:
    """A short hash of the lexicon rules the pipeline carries."""
    digest = hashlib.sha256()
    for name in ("sprogtro_cues", "sprogtro_context"):
        if name in nlp.pipe_names:
            digest.update(nlp.get_pipe(name).to_bytes())
    return digest.hexdigest()[:10]


def model_version(nlp: Language) -> str:
    """What produced a coding: classifier version + lexicon hash + spaCy pipeline (stored with codings)."""
    clf = nlp.get_pipe("sprogtro_labeller").model_version if "sprogtro_labeller" in nlp.pipe_names else "none"
    tier = nlp.meta.get("sprogtro_tier") or nlp.meta.get("name", "pipeline")
    base = tier if tier == FALLBACK_TIER else f"{nlp.meta.get('name', tier)}-{nlp.meta.get('version', '')}"
    return f"{clf}+lex-{rules_hash(nlp)}+{base}"
