"""Click commands of the store: ``init``, ``ingest`` and ``status``. They parse, call the library, format."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from sprogtro.errors import SprogtroError

DEFAULT_KEY_FILE = "sprogtro-key.enc"
MODEL_HELP = ("spaCy pipeline whose NER (PER/ORG/LOC) adds evidence to pseudonymization next to the rules: auto "
              "(da_core_news_lg/md/sm, else the shipped sprogtro_da), a package name, a pipeline folder, or none.")
CONTEXT = {"help_option_names": ["-h", "--help"]}


def project_option(func):
    """``--project DIR``, spelled the same in every command."""
    return click.option("--project", "project_dir", required=True,
                        type=click.Path(file_okay=False, path_type=Path),
                        help="The project folder (made with `sprogtro init`).")(func)


def open_project(project_dir: Path):
    from sprogtro.store import Project

    try:
        return Project.open(project_dir)
    except SprogtroError as exc:
        raise click.ClickException(str(exc)) from None


@click.command(context_settings=CONTEXT)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", default=None, help="Project name (default: the folder name).")
def init(directory: Path, name: str | None) -> None:
    """Create a project folder DIRECTORY with project.toml and an empty database.

    The codebook (framing, expectation, action and their labels) is seeded from
    annotation_guides/codebook.yml.

    \b
    Example:
      sprogtro init mit_projekt
    """
    from sprogtro.store import Project

    try:
        with Project.init(directory, name=name) as project:
            n_codes = len(project.codes_frame())
    except SprogtroError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"created project {directory} ({n_codes} codes in the codebook)", err=True)


@click.command(context_settings=CONTEXT)
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@project_option
@click.option("--key-file", type=click.Path(dir_okay=False, path_type=Path), default=Path(DEFAULT_KEY_FILE),
              show_default=True, help="Encrypted key (surrogate → original); never inside the project folder.")
@click.option("--municipality", default=None, help="Municipality for every document (wins over other sources).")
@click.option("--doc-type", default=None, help="Document type for every document (journalnotat, visitation, …).")
@click.option("--metadata", "metadata_csv", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="CSV with a path column and metadata columns (municipality, doc_type, date, …).")
@click.option("--style", type=click.Choice(["realistic", "tags"]), default="realistic", show_default=True,
              help="Realistic Danish surrogates or numbered tags such as [PERSON_3].")
@click.option("--text-column", default=None, help="Text column of CSV/XLSX sources.")
@click.option("--id-column", default=None, help="Id column of CSV/XLSX sources.")
@click.option("--model", default="auto", show_default=True, metavar="auto|NAME|PATH|none", help=MODEL_HELP)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def ingest(sources: tuple[Path, ...], project_dir: Path, key_file: Path, municipality: str | None,
           doc_type: str | None, metadata_csv: Path | None, style: str, text_column: str | None,
           id_column: str | None, model: str, quiet: bool) -> None:
    """Read SOURCES, pseudonymize them and store them in the project.

    Raw text never enters the project: names, CPR numbers, addresses … are replaced on the way in, and
    the key goes to --key-file (encrypted with the passphrase from SPROGTRO_PASSPHRASE or a prompt).
    Unchanged documents are skipped on a re-run. Unreadable files are listed and skipped; the command
    then exits non-zero after storing the rest. With --model auto (the default) a spaCy pipeline with
    NER also finds names in no gazetteer, in lower-case transcripts too; stderr says which one.

    \b
    Example:
      sprogtro ingest notater/ --project mit_projekt --key-file ~/keys/sprogtro-key.enc --municipality Aarhus
      sprogtro ingest notater/ --project mit_projekt --model none      # rules only, no spaCy
    """
    from tqdm import tqdm

    from sprogtro.privacy.cli import say
    from sprogtro.privacy.passphrase import get_passphrase
    from sprogtro.privacy.recognizers.ner import load_ner_pipeline
    from sprogtro.privacy.vault import KeyVault
    from sprogtro.store.ingest import ingest_sources

    project = open_project(project_dir)
    flags = {k: v for k, v in {"municipality": municipality, "doc_type": doc_type}.items() if v}
    try:
        if key_file.resolve().is_relative_to(project.path):
            raise click.ClickException(f"the key file {key_file} lies inside the project folder {project_dir}; "
                                       "keep it elsewhere (the project may be shared, the key must not)")
        vault = KeyVault.open_or_create(key_file, get_passphrase(confirm=not key_file.exists()))
        nlp = load_ner_pipeline(model, say=say)
        with tqdm(unit="doc", desc="ingest", disable=quiet, file=sys.stderr, leave=False) as bar:
            result = ingest_sources(project, sources, vault=vault, style=style, metadata=flags,
                                    metadata_csv=metadata_csv, text_column=text_column, id_column=id_column,
                                    nlp=nlp, progress=bar.update)
    except SprogtroError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        project.close()
    if not quiet:
        replaced = ", ".join(f"{n} {t}" for t, n in sorted(result.counts.items())) or "nothing"
        click.echo(f"{result.added} added, {result.updated} updated, {result.metadata} metadata updated, "
                   f"{result.unchanged} unchanged → {project_dir} (replaced: {replaced}); key: {key_file}", err=True)
        if result.updated:
            click.echo(f"note: {result.updated} changed document(s) lost their sentences, codings and reviews; "
                       "code them again", err=True)
    if result.failures:
        for path, reason in result.failures:
            click.echo(f"skipped: {path}: {reason}", err=True)
        raise click.ClickException(f"{len(result.failures)} source(s) could not be ingested (listed above)")


@click.command(context_settings=CONTEXT)
@project_option
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def status(project_dir: Path, as_json: bool) -> None:
    """Show what a project holds: documents per municipality and document type, codings per code and
    coder, reviews and memos.

    \b
    Example:
      sprogtro status --project mit_projekt
    """
    with open_project(project_dir) as project:
        info = project.status()
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False, indent=2))
        return
    click.echo(f"project {info['project']} ({info['path']}), schema v{info['schema_version']}")
    click.echo(f"documents: {info['documents']}   sentences: {info['sentences']}   turns: {info['turns']}")
    _table("by municipality", info["by_municipality"])
    _table("by document type", info["by_doc_type"])
    _table("codings by code", info["by_code"])
    click.echo("coders:")
    if not info["coders"]:
        click.echo("  (none yet: run `sprogtro code --project …` or `sprogtro import-codings`)")
    for c in info["coders"]:
        version = f" {c['version']}" if c["version"] else ""
        click.echo(f"  {c['name']:<30} {c['kind']}{version}: {c['codings']} codings, "
                   f"{c['sentence_labels']} labelled sentences")
    verdicts = ", ".join(f"{k} {v}" for k, v in info["reviews_by_verdict"].items())
    click.echo(f"reviews: {info['reviews']}" + (f" ({verdicts})" if verdicts else ""))
    click.echo(f"memos: {info['memos']}")


def _table(title: str, counts: dict[str, int]) -> None:
    click.echo(f"{title}:")
    if not counts:
        click.echo("  (none)")
    width = max((len(k) for k in counts), default=0)
    for key, n in counts.items():
        click.echo(f"  {key:<{width}}  {n:>6}")
