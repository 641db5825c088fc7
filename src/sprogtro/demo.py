"""`sprogtro demo OUT_DIR`: the whole pipeline on the bundled fictional corpus.

The demo drives the same commands a user types (the stable CLI contract), so what it shows is what
users get: pseudonymize → ingest → code → evaluate → compare/report → booklet → export.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import time
from pathlib import Path

import click

from sprogtro.resources import data_path


def _step(title: str) -> None:
    click.secho(f"\n▶ {title}", fg="cyan", bold=True, err=True)


def _run(args: list[str]) -> None:
    """Run one sprogtro command in-process; a failing step stops the demo with its own message."""
    from sprogtro.cli import cli

    try:
        cli.main(args=args, prog_name="sprogtro", standalone_mode=False)
    except click.exceptions.Exit as exc:
        if exc.exit_code:
            raise click.ClickException(f"step 'sprogtro {args[0]}' exited with {exc.exit_code}") from exc


@click.command()
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--corpus", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Corpus folder (default: the bundled fictional corpora_sample/).")
@click.option("--model", default="auto", show_default=True, help="spaCy pipeline: auto, a name or a path.")
@click.option("--topics/--no-topics", default=None,
              help="Fit topics for the report (default: when the 'topics' extra is installed).")
@click.option("--force", is_flag=True, help="Start again in an existing OUT_DIR.")
def demo(out_dir: Path, corpus: Path | None, model: str, topics: bool | None, force: bool) -> None:
    """Run the whole pipeline on the bundled fictional corpus and print where the results are.

    The re-identification key is written beside OUT_DIR (never inside it), encrypted with the
    passphrase from SPROGTRO_PASSPHRASE (or a prompt).

    \b
    Example:
      SPROGTRO_PASSPHRASE=… sprogtro demo demo_out
    """
    from sprogtro.privacy.passphrase import get_passphrase

    corpus = corpus or data_path("corpora_sample")
    out_dir = out_dir.resolve()
    if out_dir.exists() and any(out_dir.iterdir()):
        if not force:
            raise click.ClickException(f"{out_dir} is not empty: use --force to start again")
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    key_file = out_dir.parent / f"{out_dir.name}-key.enc"
    if key_file.exists() and force:
        key_file.unlink()
    os.environ["SPROGTRO_PASSPHRASE"] = get_passphrase(confirm=not key_file.exists())
    if topics is None:
        topics = importlib.util.find_spec("bertopic") is not None

    pseudo = out_dir / "pseudonymized"
    project = out_dir / "project"
    started = time.perf_counter()

    _step("1/8 Pseudonymize the sample corpus (names, CPR, addresses, phones, e-mails, employers)")
    _run(["pseudonymize", str(corpus), "--out", str(pseudo), "--key-file", str(key_file)])

    _step("2/8 Create a project and ingest the corpus (pseudonymized on the way in)")
    _run(["init", str(project)])
    ingest = ["ingest", str(corpus), "--project", str(project), "--key-file", str(key_file)]
    if (corpus / "metadata.csv").exists():
        ingest += ["--metadata", str(corpus / "metadata.csv")]
    _run(ingest)

    _step("3/8 Code every sentence: framing, expectation, action")
    _run(["code", "--project", str(project), "--model", model])
    _run(["export", "--project", str(project), "--format", "csv", "--out", str(out_dir / "coded_segments.csv")])
    # The same coding as a plain file-to-table run, the way scripts use it (one row per sentence).
    _run(["code", str(pseudo), "--out", str(out_dir / "coded_sentences.csv"), "--assume-pseudonymized",
          "--model", model, "--quiet"])

    gold = corpus / "gold" / "gold_sentences.csv"
    if gold.exists():
        _step("4/8 Evaluate against the held-out gold sentences")
        _run(["evaluate", str(gold), "--text-column", "text", "--id-column", "id", "--model", model])

    _step("5/8 Compare municipalities, document types and speaker roles")
    _run(["compare", "--project", str(project), "--by", "municipality", "--out", str(out_dir / "comparisons")])

    _step("6/8 Write the analysis report")
    report = ["report", "--project", str(project), "--out", str(out_dir / "report.html")]
    report.append("--topics" if topics else "--no-topics")
    _run(report)

    _step("7/8 Print a workshop booklet for a learning group")
    _run(["booklet", "--project", str(project), "--out", str(out_dir / "booklet.html")])

    _step("8/8 Export for QDA tools (NVivo, ATLAS.ti, MAXQDA, QualCoder) and spreadsheets")
    _run(["export", "--project", str(project), "--format", "qdpx", "--out", str(out_dir / "sprogtro.qdpx")])
    _run(["export", "--project", str(project), "--format", "xlsx", "--out", str(out_dir / "sprogtro.xlsx")])

    elapsed = time.perf_counter() - started
    click.secho(f"\nDone in {elapsed:.0f} s. Results in {out_dir}:", fg="green", bold=True)
    for name, what in [
        ("pseudonymized/", "pseudonymized texts + pseudonymization_report.csv"),
        ("project/", "the project store (open with `sprogtro review --project …`)"),
        ("coded_sentences.csv", "one row per sentence: labels, cues, probabilities, metadata"),
        ("coded_segments.csv", "one row per coded segment (sentence × code), for QDA-style tables"),
        ("comparisons/", "shares with 95% intervals, tests, keyness per municipality"),
        ("report.html", "self-contained analysis report"),
        ("booklet.html", "printable learning-group booklet"),
        ("sprogtro.qdpx", "REFI-QDA project for NVivo, ATLAS.ti, MAXQDA, QualCoder"),
        ("sprogtro.xlsx", "documents, sentences, codings and codebook sheets"),
    ]:
        click.echo(f"  {name:<20} {what}")
    click.echo(f"  key (kept apart):    {key_file}")
    click.echo(f"\nReview with a learning group:  sprogtro review --project {project}")
    sys.stdout.flush()
