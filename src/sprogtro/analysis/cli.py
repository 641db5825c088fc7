"""``sprogtro topics``, ``sprogtro compare`` and ``sprogtro report``: parse, call the library, format."""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

import click

from sprogtro.analysis.frame import GROUPINGS, AnalysisError, prepare_sentences


def load_sentences(project: Path | None, sentences: Path | None):
    """The prepared sentence table from a project store or a file written by ``sprogtro code``/``export``."""
    import pandas as pd

    if (project is None) == (sentences is None):
        raise click.UsageError("give either --project DIR or --sentences FILE")
    if project is not None:
        from sprogtro.store import Project

        opener = getattr(Project, "open", Project)
        proj = opener(project)
        try:
            df = proj.sentences_frame()
        finally:
            close = getattr(proj, "close", None)
            if callable(close):
                close()
    else:
        suffix = sentences.suffix.lower()
        readers = {".csv": lambda p: pd.read_csv(p, encoding="utf-8-sig"), ".parquet": pd.read_parquet,
                   ".jsonl": lambda p: pd.read_json(p, lines=True), ".xlsx": pd.read_excel}
        if suffix not in readers:
            raise click.BadParameter(f"unknown table format {suffix!r} (csv, parquet, jsonl, xlsx)",
                                     param_hint="--sentences")
        df = readers[suffix](sentences)
    if len(df) == 0:
        raise AnalysisError("the project has no sentences yet: run `sprogtro code --project DIR` first")
    return prepare_sentences(df)


def input_options(fn):
    """--project / --sentences, the same on every analysis command."""

    @click.option("--project", "project", type=click.Path(exists=True, file_okay=False, path_type=Path),
                  help="Project folder (sprogtro init/ingest/code).")
    @click.option("--sentences", "sentences", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                  help="Or a sentence table from `sprogtro code --out` (csv, parquet, jsonl, xlsx).")
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)

    return wrapper


def topic_options(fn):
    """The topic-model settings shared by `topics` and `report`."""

    @click.option("--embedder", default="tfidf", show_default=True,
                  help="tfidf | sentence-transformers:PATH_OR_CACHED_NAME | spacy:NAME_OR_PATH (never downloads).")
    @click.option("--fast", is_flag=True, help="PCA + KMeans instead of UMAP + HDBSCAN (quick look, no outliers).")
    @click.option("--unit", type=click.Choice(["sentence", "document"]), default="sentence", show_default=True,
                  help="Model sentences or whole documents.")
    @click.option("--subset", type=click.Choice(["all", "coded"]), default="all", show_default=True,
                  help="All sentences, or only those with a non-empty framing/expectation/action label.")
    @click.option("--reduce-outliers", is_flag=True, help="Assign HDBSCAN outliers (-1) to their nearest topic.")
    @click.option("--min-topic-size", type=click.IntRange(2), default=None,
                  help="HDBSCAN's smallest topic (default: adapted to the data).")
    @click.option("--n-topics", type=click.IntRange(2), default=None,
                  help="Number of KMeans topics with --fast (default: adapted to the data).")
    @click.option("--seed", type=int, default=42, show_default=True, help="Seed for every random step.")
    @click.option("--quiet", "-q", is_flag=True, help="No progress messages on stderr.")
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)

    return wrapper


def _fit(df, embedder, fast, unit, subset, reduce_outliers, min_topic_size, n_topics, seed, quiet):
    from sprogtro.analysis.topics import TopicConfig, fit_topics

    config = TopicConfig(embedder=embedder, fast=fast, unit=unit, subset=subset, seed=seed,
                         reduce_outliers=reduce_outliers, min_topic_size=min_topic_size, n_clusters=n_topics)
    if not quiet:
        click.echo(f"Fitting topics on {len(df)} sentences ({'PCA + KMeans' if fast else 'UMAP + HDBSCAN'}, "
                   f"embedder {embedder}) …", err=True)
    return fit_topics(df, config)


@click.command()
@input_options
@click.option("--by", type=click.Choice(GROUPINGS), default="municipality", show_default=True,
              help="Compare topics across this grouping (topics_per_class and shares).")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the topic tables (CSV) and interactive plots (HTML).")
@topic_options
def topics(project, sentences, by, out_dir, **settings):
    """Find topics with BERTopic and compare them across municipalities, document types or roles.

    Writes topic_info.csv, document_topics.csv, representative_sentences.csv, topic_shares_by_<BY>.csv,
    topics_per_<BY>.csv, topics_over_time.csv (when documents have dates), topic_settings.csv and
    topics.html (interactive plots, plotly embedded: opens offline). Same input, same topics.

    \b
    Example:
      sprogtro topics --project proj --by municipality --out topics/
      sprogtro topics --sentences coded.csv --by doc_type --out topics/ --fast
      sprogtro topics --project proj --out t/ --embedder sentence-transformers:/models/danish-st
    """
    df = load_sentences(project, sentences)
    result = _fit(df, **settings)
    written = result.write(out_dir, by)
    table = result.topic_table()
    click.echo(f"{(table['topic'] >= 0).sum()} topics, {int((result.rows['topic'] == -1).sum())} outliers; "
               f"wrote {len(written)} files to {out_dir}")
    if not settings["quiet"]:
        for note in result.notes:
            click.echo(f"note: {note}", err=True)


@click.command()
@input_options
@click.option("--by", "by", type=click.Choice(GROUPINGS), multiple=True, default=("municipality",),
              show_default=True, help="Grouping(s) to compare; repeat for several.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the CSV tables.")
@click.option("--gap-years", type=click.FloatRange(0, min_open=True), default=1.0, show_default=True,
              help="A case period without action at least this long (in years) is flagged.")
@click.option("--min-freq", type=click.IntRange(1), default=3, show_default=True,
              help="Keyness: leave out words seen fewer times than this.")
def compare(project, sentences, by, out_dir, gap_years, min_freq):
    """Compare framing, expectation and action across municipalities, document types or speaker roles.

    Per grouping BY: shares_by_BY.csv (shares with 95% Wilson intervals), tests_by_BY.csv (chi-square,
    Cramér's V), keyness_words_by_BY.csv and keyness_cues_by_BY.csv (log-likelihood, log ratio),
    expectation_index_by_BY.csv. Per case: cases.csv (expectation index 1–5, actions, longest period
    without action) and expectation_action_by_municipality.csv.

    \b
    Example:
      sprogtro compare --project proj --by municipality --out comparisons/
      sprogtro compare --sentences coded.csv --by municipality --by role --out comparisons/
    """
    from sprogtro.analysis._io import write_csv
    from sprogtro.analysis.cases import case_table, link_summary
    from sprogtro.analysis.compare import compare as compare_tables
    from sprogtro.analysis.stopwords import analysis_stop_words

    df = load_sentences(project, sentences)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []

    def csv(name, table):
        written.append(write_csv(out_dir / f"{name}.csv", table))

    for grouping in dict.fromkeys(by):
        for name, table in compare_tables(df, grouping, stop_words=analysis_stop_words(), min_freq=min_freq).items():
            csv(f"{name}_by_{grouping}", table)
    cases = case_table(df, gap_years=gap_years)
    csv("cases", cases)
    csv("expectation_action_by_municipality", link_summary(cases, "municipality"))
    click.echo(f"{len(df)} sentences, {len(cases)} cases; wrote {len(written)} tables to {out_dir}")


@click.command()
@input_options
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML file to write.")
@click.option("--topics/--no-topics", "with_topics", default=None,
              help="Include a topic section (default: when the 'topics' extra is installed).")
@click.option("--title", default="Sprog og forventninger i sagsarbejdet", show_default=True)
@topic_options
def report(project, sentences, out_file, with_topics, title, **settings):
    """Write one self-contained HTML report: differences between municipalities, document types and
    speakers with 95% intervals, tests, keyness, the expectation index, expectation vs action, optional
    topics, example sentences (pseudonymized), method notes and caveats. No external requests: it can be
    sent as one file.

    \b
    Example:
      sprogtro report --project proj --out report.html
      sprogtro report --sentences coded.csv --out report.html --no-topics
    """
    from sprogtro.analysis.report import write_report

    df = load_sentences(project, sentences)
    if with_topics is None:
        with_topics = importlib.util.find_spec("bertopic") is not None
    result = _fit(df, **settings) if with_topics else None
    name = project.resolve().name if project else sentences.name
    path = write_report(out_file, df, topics=result, title=title, project=name)
    click.echo(f"wrote {path} ({path.stat().st_size // 1024} KiB)")
