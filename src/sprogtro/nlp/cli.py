"""``sprogtro code``, ``sprogtro evaluate`` and ``sprogtro train``: parse, call the library, format."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from sprogtro.errors import SprogtroError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def model_options(func):
    """Options every NLP command spells the same way."""
    func = click.option("--lexicon-dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
                        help="Lexicon folder instead of the bundled lexicons/da.")(func)
    func = click.option("--model", default="auto", show_default=True,
                        help="spaCy pipeline: auto, fallback, sprogtro_da, a package name or a pipeline folder.")(func)
    return func


def _say(message: str, quiet: bool = False) -> None:
    if not quiet:
        click.echo(message, err=True)


# ------------------------------------------------------------------------------------------------ code
@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("inputs", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out", type=click.Path(path_type=Path), default=None,
              help="Output file (csv, jsonl, parquet, xlsx); with --engine dask an output folder.")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "parquet", "xlsx"]), default=None,
              help="Output format (default: from the --out suffix).")
@click.option("--text-column", default=None, help="Text column of CSV/XLSX table input.")
@click.option("--id-column", default=None, help="Id column of CSV/XLSX table input (becomes doc_id).")
@model_options
@click.option("--n-process", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes for nlp.pipe (with --engine dask: workers).")
@click.option("--batch-size", type=click.IntRange(1, 10_000), default=64, show_default=True,
              help="Texts per nlp.pipe batch.")
@click.option("--assume-pseudonymized", is_flag=True,
              help="The input is already pseudonymized: code it as it is.")
@click.option("--key-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Key vault for consistent, reversible surrogates (passphrase from SPROGTRO_PASSPHRASE).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", default=None, help="Dask scheduler address (--engine dask; default: a local cluster).")
@click.option("--project", "project_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Code the stored documents of a project not yet coded by this model version.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or notes on stderr.")
def code(inputs, out, fmt, text_column, id_column, model, lexicon_dir, n_process, batch_size,
         assume_pseudonymized, key_file, engine, scheduler, project_dir, quiet) -> None:
    """Code every sentence for framing, expectation and action, with its cues.

    INPUT: files, folders (recursive) or CSV/XLSX tables (with --text-column/--id-column). Text is
    pseudonymized first unless --assume-pseudonymized. One output row per sentence: doc_id, sent_index,
    start_char, end_char, speaker, text, framing, expectation, action, cues (JSON) and more. A killed run
    resumes where it stopped when started again with the same arguments.

    \b
    Example:
      sprogtro code corpora_sample/ --out coded.csv
      sprogtro code pseudo/ --out coded.parquet --assume-pseudonymized --n-process 2
      sprogtro code cases.xlsx --text-column notat --id-column sagsnr --out coded.xlsx
      sprogtro code --project projekt/
    """
    try:
        if project_dir is not None:
            if inputs or out:
                raise click.UsageError("--project codes stored documents: give no INPUT and no --out")
            _code_project(project_dir, model=model, lexicon_dir=lexicon_dir, n_process=n_process,
                          batch_size=batch_size, quiet=quiet)
            return
        if not inputs:
            raise click.UsageError("give INPUT files or folders (or --project DIR)")
        if out is None:
            raise click.UsageError("--out is required")
        _code_files(list(inputs), out, fmt=fmt, text_column=text_column, id_column=id_column, model=model,
                    lexicon_dir=lexicon_dir, n_process=n_process, batch_size=batch_size,
                    assume_pseudonymized=assume_pseudonymized, key_file=key_file, engine=engine,
                    scheduler=scheduler, quiet=quiet)
    except SprogtroError as exc:
        raise click.ClickException(str(exc)) from exc


def _open_vault(key_file: Path | None, out: Path, quiet: bool):
    from sprogtro.privacy.vault import KeyVault

    if key_file is None:
        _say("sprogtro: no --key-file: surrogates come from a one-off key, so re-identification is "
             "impossible for this run's output", quiet)
        return KeyVault.ephemeral()
    from sprogtro.privacy.batch import check_key_location
    from sprogtro.privacy.passphrase import get_passphrase

    check_key_location(key_file, out if out.suffix == "" else out.parent)
    return KeyVault.open_or_create(key_file, get_passphrase(confirm=not key_file.exists()))


def _documents(inputs, *, text_column, id_column, quiet):
    from sprogtro.corpus.reader import iter_documents

    def on_error(error) -> None:
        _say(f"sprogtro: skipped {error}", quiet)

    return iter_documents(inputs, text_column=text_column, id_column=id_column, on_error=on_error)


def _code_files(inputs, out: Path, *, fmt, text_column, id_column, model, lexicon_dir, n_process, batch_size,
                assume_pseudonymized, key_file, engine, scheduler, quiet) -> None:
    from sprogtro.nlp.output import ResumableOutput, format_for, run_fingerprint

    from sprogtro.nlp.models import load_base, load_pipeline, model_version

    documents = _documents(inputs, text_column=text_column, id_column=id_column, quiet=quiet)
    # Dask workers load their own pipeline; the local engine's pipeline doubles as the NER evidence.
    nlp = load_pipeline(model, lexicon_dir=lexicon_dir, quiet=quiet) if engine != "dask" else None
    vault = None
    if not assume_pseudonymized:
        from sprogtro.privacy.pseudonymizer import Pseudonymizer

        vault = _open_vault(key_file, out, quiet)
        ner = nlp if nlp is not None else load_base(model, quiet=True)[0]
        documents = _pseudonymized(documents, Pseudonymizer(vault, nlp=ner))
    else:
        documents = (_mark_pseudonymized(doc) for doc in documents)

    if engine == "dask":
        from sprogtro.engine.dask_engine import code_with_dask

        summary = code_with_dask(documents, out, model=model, scheduler=scheduler, n_workers=max(n_process, 2),
                                 quiet=quiet)
        _save_vault(vault, key_file)
        _say(f"sprogtro: {summary.rows} sentences from {summary.documents} documents → {out}/", quiet)
        return

    from sprogtro.nlp.coding import code_documents_grouped

    fmt = format_for(out, fmt)
    version = model_version(nlp)
    fingerprint = run_fingerprint([str(Path(p).resolve()) for p in inputs], text_column, id_column, fmt,
                                  assume_pseudonymized, str(key_file) if key_file else None, version)
    output = ResumableOutput(out, fmt, fingerprint)
    skip = output.open()
    if skip:
        _say(f"sprogtro: resuming after {skip} documents already coded", quiet)
    documents = _skip(documents, skip)
    from tqdm import tqdm

    bar = tqdm(desc="coding", unit="doc", initial=skip, disable=quiet, file=sys.stderr, dynamic_ncols=True)
    try:
        for _, rows in code_documents_grouped(nlp, documents, batch_size=batch_size, n_process=n_process,
                                              model_version=version):
            output.add_document(rows)
            bar.update(1)
    except BaseException:
        output.close()
        _save_vault(vault, key_file)
        raise
    finally:
        bar.close()
    n = output.finalise()
    _save_vault(vault, key_file)
    _say(f"sprogtro: {n} sentences from {output.documents_done} documents → {out} (model {version})", quiet)


def _pseudonymized(documents, pseudonymizer):
    """Text first, then the id: a file name that names the citizen gets the surrogate the text gave."""
    from dataclasses import replace

    for doc in documents:
        processed = pseudonymizer.process(doc)
        document = processed.document
        yield replace(document, doc_id=pseudonymizer.pseudonymize_path(document.doc_id, known=processed.names),
                      source_path=None)


def _skip(documents, n: int):
    """Pass over the first ``n`` documents (already coded), still pulling them through pseudonymization so
    surrogates stay exactly as in the interrupted run."""
    for i, doc in enumerate(documents):
        if i >= n:
            yield doc


def _mark_pseudonymized(doc):
    doc.pseudonymized = True
    return doc


def _save_vault(vault, key_file) -> None:
    if vault is not None and key_file is not None:
        vault.save()


def _code_project(project_dir: Path, *, model, lexicon_dir, n_process, batch_size, quiet) -> None:
    import hashlib

    from tqdm import tqdm

    from sprogtro.nlp.coding import code_documents_grouped
    from sprogtro.nlp.models import load_pipeline, model_version
    from sprogtro.store import Project

    nlp = load_pipeline(model, lexicon_dir=lexicon_dir, quiet=quiet)
    version = model_version(nlp)
    coder = f"sprogtro-{hashlib.sha256(version.encode()).hexdigest()[:8]}"
    n_docs = n_rows = 0
    with Project.open(project_dir) as project:
        documents = project.iter_documents(uncoded_by=coder)
        with tqdm(desc="coding", unit="doc", disable=quiet, file=sys.stderr, dynamic_ncols=True) as bar:
            for _, rows in code_documents_grouped(nlp, documents, batch_size=batch_size, n_process=n_process,
                                                  model_version=version):
                if rows:
                    n_rows += project.save_sentence_coding(rows, coder=coder, version=version)
                n_docs += 1
                bar.update(1)
    _say(f"sprogtro: coded {n_rows} sentences in {n_docs} documents as coder {coder} (model {version})", quiet)


# -------------------------------------------------------------------------------------------- evaluate
@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--text-column", default="text", show_default=True)
@click.option("--id-column", default="id", show_default=True)
@click.option("--split", type=click.Choice(["test", "train", "all"]), default=None,
              help="Rows to score (default: test when the gold has a split column, else all).")
@model_options
@click.option("--combine", type=click.Choice(["stack", "rules", "classifier"]), default="stack", show_default=True,
              help="stack: classifier reading the rule evidence; rules: the codebook rules alone.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--quiet", "-q", is_flag=True)
def evaluate(gold, text_column, id_column, split, model, lexicon_dir, combine, as_json, quiet) -> None:
    """Score sprogtro's labels against hand-coded gold sentences.

    Per dimension (framing, expectation, action): precision, recall and F1 per class, macro-F1,
    Cohen's κ and a confusion matrix (rows gold, columns predicted). Each gold row is coded as one unit.

    \b
    Example:
      sprogtro evaluate corpora_sample/gold/gold_sentences.csv --text-column text --id-column id
      sprogtro evaluate gold.csv --split all --combine rules --json
    """
    from sprogtro.nlp.evaluation import evaluate_rows, format_report
    from sprogtro.nlp.models import load_pipeline, model_version
    from sprogtro.nlp.training import read_gold

    try:
        rows = read_gold(gold, text_column=text_column, id_column=id_column)
        if split is None:
            split = "test" if rows and "split" in rows[0] and any(r.get("split") for r in rows) else "all"
        rows = [r for r in rows if split == "all" or r.get("split") == split]
        if not rows:
            raise click.ClickException(f"no gold rows in split {split!r}")
        nlp = load_pipeline(model, lexicon_dir=lexicon_dir, combine=combine, quiet=quiet)
        results = nlp.get_pipe("sprogtro_labeller").label_texts([r["text"] for r in rows])
        report = evaluate_rows(rows, results)
        version = model_version(nlp)
    except SprogtroError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps({"gold": str(gold), "split": split, "n": len(rows), "model_version": version,
                               "combine": combine, "dimensions": report}, ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report, title=f"{gold.name}: {len(rows)} sentences (split {split}), "
                                               f"model {version}, {combine}"))


# ----------------------------------------------------------------------------------------------- train
@click.command(context_settings=CONTEXT_SETTINGS)
@click.option("--gold", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Gold CSV (default: the bundled corpora_sample/gold/gold_sentences.csv); its train split is used.")
@click.option("--project", "project_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Add the reviewed labels of this project to the training data.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to save the classifier (default: the bundled package data).")
@click.option("--folds", type=click.IntRange(2, 20), default=5, show_default=True,
              help="Stratified cross-validation folds.")
@model_options
@click.option("--quiet", "-q", is_flag=True)
def train(gold, project_dir, out, folds, model, lexicon_dir, quiet) -> None:
    """Train the sentence classifiers on the gold train split (+ reviewed labels), with cross-validation.

    Prints per-class cross-validated metrics per dimension and the new model version (a hash of the
    training rows, lexicon rules and parameters, plus the scikit-learn version).

    \b
    Example:
      sprogtro train
      sprogtro train --gold my_gold.csv --project projekt/ --out my_classifier.joblib
    """
    from sprogtro.nlp.models import load_pipeline
    from sprogtro.nlp.training import (
        bundled_gold_path,
        bundled_model_path,
        cross_validate,
        featurize,
        read_gold,
        save_bundle,
        train_bundle,
    )

    try:
        gold = gold or bundled_gold_path()
        rows = read_gold(gold, split="train")
        if not rows:
            rows = read_gold(gold, split="all")
        extra = _reviewed_rows(project_dir) if project_dir else []
        rows = rows + extra
        nlp = load_pipeline(model, lexicon_dir=lexicon_dir, combine="rules", quiet=quiet)
        records = featurize(nlp, [r["text"] for r in rows])
        cv = cross_validate(nlp, rows, folds=folds, records=records)
        bundle = train_bundle(nlp, rows, records=records,
                              meta={"gold": Path(gold).name, "reviewed_rows": len(extra), "cv": _cv_summary(cv)})
        path = save_bundle(bundle, out or bundled_model_path())
    except SprogtroError as exc:
        raise click.ClickException(str(exc)) from exc
    for dim, res in cv.items():
        if "error" in res:
            click.echo(f"{dim}: {res['error']}")
            continue
        click.echo(f"\n{dim}: cross-validated macro-F1 {res['macro_f1_mean']:.3f} ({res['folds']} folds: "
                   f"{', '.join(f'{s:.3f}' for s in res['macro_f1_folds'])})")
        click.echo(f"  {'class':<11}{'precision':>10}{'recall':>8}{'F1':>8}{'support':>9}")
        for label, m in res["report"].items():
            if isinstance(m, dict) and label not in ("macro avg", "weighted avg"):
                click.echo(f"  {label:<11}{m['precision']:>10.3f}{m['recall']:>8.3f}{m['f1-score']:>8.3f}"
                           f"{int(m['support']):>9}")
    click.echo(f"\ntrained on {len(rows)} sentences ({len(extra)} reviewed); model version {bundle.version}")
    click.echo(f"saved: {path}")


def _cv_summary(cv: dict) -> dict:
    return {dim: {"macro_f1_mean": round(res["macro_f1_mean"], 4), "folds": res["folds"]}
            for dim, res in cv.items() if "error" not in res}


def _reviewed_rows(project_dir: Path) -> list[dict[str, str]]:
    """Reviewed sentence labels from a project, as gold-like rows (text + the three dimensions)."""
    from sprogtro.store import Project

    with Project.open(project_dir) as project:
        getter = getattr(project, "reviewed_labels", None)
        if getter is None:
            raise click.ClickException("this version of the project store has no reviewed_labels()")
        frame = getter()
    records = frame.to_dict("records") if hasattr(frame, "to_dict") else list(frame)
    rows = []
    for rec in records:
        text = str(rec.get("text") or "").strip()
        if text:
            rows.append({"text": text, **{d: str(rec.get(d) or "") for d in ("framing", "expectation", "action")}})
    return rows
