"""Click commands of the export stage: ``export``, ``import-codings`` and ``agreement``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click

from sprogtro.errors import SprogtroError
from sprogtro.store.cli import CONTEXT, open_project, project_option

FORMATS = ("qdpx", "qdc", "csv", "xlsx", "parquet", "jsonl")


@click.command(context_settings=CONTEXT)
@project_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format (default: from the --out suffix).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write (replaced atomically).")
@click.option("--coder", default=None, help="Only this coder's codings (default: every coder).")
def export(project_dir: Path, fmt: str | None, out: Path, coder: str | None) -> None:
    """Export a project for QDA tools (REFI-QDA .qdpx/.qdc) or as tables.

    qdpx: the whole project (pseudonymized sources, hierarchical codebook, coders as users, municipality
    and document type as cases and variables, memos as notes) for NVivo, ATLAS.ti, MAXQDA or QualCoder.
    qdc: the codebook alone. csv/parquet/jsonl: one row per coded segment with all metadata.
    xlsx: sheets documents, sentences, codings and codebook.

    \b
    Example:
      sprogtro export --project mit_projekt --format qdpx --out mit_projekt.qdpx
      sprogtro export --project mit_projekt --format csv --out segmenter.csv --coder Lærke
    """
    fmt = fmt or out.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise click.ClickException(f"cannot tell the format from {out.name!r}: give --format ({', '.join(FORMATS)})")
    with open_project(project_dir) as project:
        try:
            if fmt == "qdpx":
                from sprogtro.export.qdpx import write_qdpx

                counts = write_qdpx(project, out, coder=coder)
            elif fmt == "qdc":
                from sprogtro.export.qdpx import write_qdc

                counts = write_qdc(project, out)
            else:
                from sprogtro.export.tables import write_table

                counts = write_table(project, fmt, out, coder=coder)
        except SprogtroError as exc:
            raise click.ClickException(str(exc)) from None
    summary = ", ".join(f"{n} {what}" for what, n in counts.items())
    click.echo(f"wrote {out} ({summary})", err=True)


@click.command("import-codings", context_settings=CONTEXT)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@project_option
@click.option("--coder", default=None, help="Store every coding under this coder (default: the QDA user names).")
@click.option("--add-sources", is_flag=True,
              help="Add text sources that match no stored document as new documents. Their text is taken "
                   "as it is: use only with pseudonymized sources (e.g. a sprogtro export).")
@click.option("--report", "report_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the mismatches as CSV (source, start, end, codes, reason; no text).")
@click.option("--strict", is_flag=True, help="Exit non-zero when any coding could not be imported.")
def import_codings(file: Path, project_dir: Path, coder: str | None, add_sources: bool, report_file: Path | None,
                   strict: bool) -> None:
    """Import codings made in a QDA tool from its REFI-QDA export (.qdpx, or .qde) into the project.

    Codes are mapped onto the codebook by name (nesting, "framing › deficit" and ATLAS.ti's
    "framing::deficit" too); unknown codes are added. Selections are re-anchored on the stored text.
    Everything that could not be imported is listed (and with --report written to a CSV).

    \b
    Example:
      sprogtro import-codings lærke.qdpx --project mit_projekt
      sprogtro agreement --project mit_projekt --coders Lærke,sprogtro-rules
    """
    from sprogtro.export.importer import import_codings as run_import
    from sprogtro.export.refi import atomic_write_bytes

    with open_project(project_dir) as project:
        try:
            report = run_import(project, file, coder=coder, add_sources=add_sources)
        except SprogtroError as exc:
            raise click.ClickException(str(exc)) from None
    for line in report.lines():
        click.echo(line, err=True)
    if report_file is not None:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["source", "start", "end", "codes", "reason"])
        for m in report.mismatches:
            writer.writerow([m.source, m.start, m.end, m.codes, m.reason])
        atomic_write_bytes(report_file, buf.getvalue().encode("utf-8"))
    not_imported = len(report.mismatches) + sum(report.non_text.values())
    if strict and not_imported:
        raise click.ClickException(f"{not_imported} coding(s) could not be imported (listed above)")


@click.command(context_settings=CONTEXT)
@project_option
@click.option("--coders", required=True, help="Two or more coder names, comma-separated.")
@click.option("--level", type=click.Choice(["sentence", "span"]), default="sentence", show_default=True,
              help="Compare labels per sentence, or code presence per character.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the result as .json, or as .csv (one row per code and dimension).")
def agreement(project_dir: Path, coders: str, level: str, out: Path | None) -> None:
    """Inter-coder agreement: percent agreement, Cohen's κ per code and dimension, Krippendorff's α.

    Works for human–human and model–human comparisons (e.g. a QDA tool's codings imported with
    `sprogtro import-codings` against `sprogtro code`'s). Only documents every coder coded count.

    \b
    Example:
      sprogtro agreement --project mit_projekt --coders Lærke,sprogtro-rules --level sentence
    """
    from sprogtro.analysis.agreement import project_agreement
    from sprogtro.export.refi import atomic_write_bytes

    with open_project(project_dir) as project:
        try:
            result = project_agreement(project, coders.split(","), level=level)
        except SprogtroError as exc:
            raise click.ClickException(str(exc)) from None
    for line in result.lines():
        click.echo(line)
    if out is not None:
        if out.suffix.lower() == ".csv":
            import pandas as pd

            dims = result.by_dimension.assign(kind="dimension", name=result.by_dimension["dimension"])
            codes = result.by_code.assign(kind="code", name=result.by_code.get("code_path"))
            table = pd.concat([dims, codes], ignore_index=True)
            table.insert(0, "level", level)
            data = table.to_csv(index=False, lineterminator="\n").encode("utf-8")
        else:
            data = json.dumps(result.to_dict(), ensure_ascii=False, indent=2, default=str).encode("utf-8")
        atomic_write_bytes(out, data)
