"""Pseudonymization: throughput and recall of sprogtro next to Presidio with Danish pattern recognizers.

    python -m benchmarks.bench_privacy [--repeat 3] [--out benchmarks/privacy_results.md]

Both run offline on the same fictional corpora with planted identifiers: ``corpora_sample/`` (gold
list ``corpora_sample/gold/planted_identifiers.csv``) and ``tests/privacy/fixtures/corpus`` (list
``tests/privacy/fixtures/planted.csv``). Presidio (presidio-analyzer, the ``presidio`` extra) gets its
no-op NLP engine (no model download) and Danish recognizers: CPR, +45/8-digit phones, e-mail, street
+ number addresses, postcode + town, birth dates after "født", and a case-sensitive deny list of the
same name gazetteers sprogtro ships (so the comparison is of the method, not of the word lists).

Recall counts a planted identifier as caught when its value no longer occurs in the output; the
ordinary-word loss is the share of other words that disappeared (see sprogtro.privacy.evaluation).
Throughput excludes the one-time lexicon load, which is reported separately.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path

from sprogtro.corpus import iter_documents
from sprogtro.privacy.evaluation import Score, load_planted
from sprogtro.privacy.lexicon import name_lexicon
from sprogtro.privacy.pseudonymizer import Pseudonymizer

ROOT = Path(__file__).resolve().parents[1]
CORPORA = (
    ("corpora_sample", ROOT / "corpora_sample", ROOT / "corpora_sample" / "gold" / "planted_identifiers.csv"),
    ("fixtures", ROOT / "tests" / "privacy" / "fixtures" / "corpus", ROOT / "tests" / "privacy" / "fixtures" / "planted.csv"),
)


def load_corpora():
    docs, planted = [], {}
    for name, folder, gold in CORPORA:
        if not gold.is_file():
            continue
        table = load_planted(gold)
        for doc in iter_documents(folder):
            key = f"{name}:{doc.doc_id}"
            docs.append((key, doc))
            planted[key] = table.get(doc.doc_id, [])
    return docs, planted


def presidio_engine():
    """Presidio's analyzer with Danish pattern recognizers and the no-op NLP engine (offline)."""
    from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NoOpNlpEngine

    def rec(entity, patterns, context=(), **kw):
        return PatternRecognizer(supported_entity=entity, supported_language="da", context=list(context),
                                 patterns=[Pattern(f"{entity.lower()}_{i}", rx, sc) for i, (rx, sc) in enumerate(patterns)], **kw)

    flags = re.DOTALL | re.MULTILINE
    names = sorted(set(name_lexicon().first_names) | set(name_lexicon().surnames))
    registry = RecognizerRegistry(supported_languages=["da"])
    for recognizer in (
        rec("DK_CPR", [(r"\b[0-3]\d[01]\d\d\d-?\d{4}\b", 0.6), (r"\b[0-3]\d[01]\d\d\d \d{4}\b", 0.4)], ["cpr", "personnummer"]),
        rec("PHONE_NUMBER", [(r"(?:\+45|0045)\s?\d{2}\s?\d{2}\s?\d{2}\s?\d{2}\b", 0.7),
                             (r"\b[2-9]\d\s\d{2}\s\d{2}\s\d{2}\b", 0.5), (r"\b[2-9]\d{7}\b", 0.3)], ["tlf", "telefon", "mobil"]),
        rec("DK_ADDRESS", [(r"\b[A-ZÆØÅ][a-zæøå]+(?:vej|gade|allé|vænget|parken|stræde|plads|torv)\s\d{1,4}[A-Za-z]?\b", 0.6),
                           (r"\b\d{4}\s[A-ZÆØÅ][a-zæøå]+(?:\s[NSVØC]|\sSV|\sNV)?\b", 0.4)], ["adresse", "bor"],
            global_regex_flags=flags),
        rec("DATE_OF_BIRTH", [(r"(?i:født|fødselsdato)[:\s]+(?:\d{1,2}\.?\s?[a-zæøå]+\s\d{4}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4})", 0.7)]),
        PatternRecognizer(supported_entity="PERSON", supported_language="da", deny_list=names,
                          global_regex_flags=flags, name="DanishNameDenyList"),
        rec("EMAIL_ADDRESS", [(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b", 0.9)]),  # Presidio's own needs tldextract's online list
    ):
        registry.add_recognizer(recognizer)
    engine = NoOpNlpEngine(models=[{"lang_code": "da", "model_name": "none"}])
    return AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=["da"])


def presidio_anonymize(engine, text: str) -> tuple[str, Counter]:
    results = engine.analyze(text=text, language="da", score_threshold=0.3)
    spans, last = [], -1
    for r in sorted(results, key=lambda r: (r.start, -r.end)):
        if r.start >= last:
            spans.append(r)
            last = r.end
    out = text
    for r in reversed(spans):
        out = out[: r.start] + f"<{r.entity_type}>" + out[r.end :]
    return out, Counter(r.entity_type for r in spans)


def run(system: str, docs, planted, repeat: int) -> dict:
    best = float("inf")
    score = Score()
    for _ in range(repeat):
        score = Score()
        if system == "sprogtro":
            pseudonymizer = Pseudonymizer()
            process = lambda d: pseudonymizer.process(d).document.text  # noqa: E731
        else:
            engine = presidio_engine()
            process = lambda d: presidio_anonymize(engine, d.text)[0]  # noqa: E731
        started = time.perf_counter()
        outputs = [(key, doc, process(doc)) for key, doc in docs]
        best = min(best, time.perf_counter() - started)
        for key, doc, out in outputs:
            score.add(key, doc.text, out, planted[key])
    mb = sum(len(d.text.encode("utf-8")) for _k, d in docs) / 1e6
    return {"system": system, "docs": len(docs), "seconds": best, "docs_per_s": len(docs) / best,
            "mb_per_s": mb / best, "planted": score.planted, "recall": score.recall, "loss": score.loss,
            "by_type": {t: 1 - score.survived_by_type[t] / n for t, n in sorted(score.by_type.items())},
            "survived": score.survived}


def table(rows: list[dict], load_s: float) -> str:
    types = sorted({t for r in rows for t in r["by_type"]})
    head = ["system", "docs/s", "MB/s", "recall", *[f"recall {t}" for t in types], "ordinary words lost"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [r["system"], f"{r['docs_per_s']:.0f}", f"{r['mb_per_s']:.2f}", f"{r['recall']:.1%}",
                 *[f"{r['by_type'].get(t, float('nan')):.0%}" for t in types], f"{r['loss']:.2%}"]
        lines.append("| " + " | ".join(cells) + " |")
    n = rows[0]
    lines.append(f"\n{n['docs']} documents, {n['planted']} planted identifiers; sprogtro's one-time lexicon load: {load_s:.1f} s.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_privacy", description=__doc__.split("\n\n")[0],
                                     epilog="Example: python -m benchmarks.bench_privacy --repeat 3")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions; the fastest is kept")
    parser.add_argument("--out", type=Path, help="also write the table (Markdown) here")
    parser.add_argument("--show-misses", action="store_true", help="list surviving planted identifiers")
    args = parser.parse_args(argv)
    docs, planted = load_corpora()
    if not docs:
        sys.exit("no corpus with a planted-identifier list found")
    started = time.perf_counter()
    name_lexicon()
    load_s = time.perf_counter() - started
    rows = [run("sprogtro", docs, planted, args.repeat)]
    try:
        rows.append(run("presidio (Danish patterns + gazetteer deny list)", docs, planted, args.repeat))
    except ImportError as exc:
        print(f"presidio-analyzer not installed ({exc.name}); pip install 'sprogtro[presidio]'", file=sys.stderr)
    text = table(rows, load_s)
    print(text)
    if args.show_misses:
        for r in rows:
            for key, kind, value in r["survived"]:
                print(f"{r['system']}: {key}: {kind} {value!r} survived", file=sys.stderr)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
