"""Click commands of the privacy stage: ``pseudonymize`` and ``reidentify``. They parse, call
:mod:`sprogtro.privacy.batch` / the vault, and format; the library does the work."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sprogtro.errors import SprogtroError

DEFAULT_KEY_FILE = "sprogtro-key.enc"
MODEL_HELP = ("spaCy pipeline whose NER (PER/ORG/LOC) adds evidence next to the rules: auto (da_core_news_lg/md/sm, "
              "else the shipped sprogtro_da), a package name, a pipeline folder, or none (rules only).")


def say(message: str) -> None:
    click.echo(f"sprogtro: {message}", err=True)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("input_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder for the pseudonymized .txt files and the report.")
@click.option("--key-file", type=click.Path(dir_okay=False, path_type=Path), default=Path(DEFAULT_KEY_FILE),
              show_default=True, help="Encrypted key (surrogate → original); never inside --out.")
@click.option("--style", type=click.Choice(["realistic", "tags"]), default="realistic", show_default=True,
              help="Realistic Danish surrogates or numbered tags such as [PERSON_3].")
@click.option("--model", default="auto", show_default=True, metavar="auto|NAME|PATH|none", help=MODEL_HELP)
@click.option("--force", is_flag=True, help="Redo documents already pseudonymized by an earlier run.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def pseudonymize(input_dir: Path, out_dir: Path, key_file: Path, style: str, model: str, force: bool,
                 quiet: bool) -> None:
    """Pseudonymize every readable source under INPUT_DIR into OUT_DIR as UTF-8 text.

    Names, CPR numbers, phones, e-mails, addresses, birth dates and identifying organisations are
    replaced consistently across the corpus. The key goes to --key-file, encrypted with the
    passphrase from SPROGTRO_PASSPHRASE (or a prompt). Folder and file names get the same surrogates
    ("notat_Mette_2023.docx" → "notat_Hanne_2023.txt"). OUT_DIR/pseudonymization_report.csv counts
    what was replaced per document; it never holds an original. With --model auto (the default) a
    spaCy pipeline with NER also finds names in no gazetteer, in lower-case transcripts too; stderr
    says which one. After changing --model, add --force to redo documents already done.

    \b
    Example:
      SPROGTRO_PASSPHRASE=… sprogtro pseudonymize notes/ --out pseudo/ --key-file ~/keys/sprogtro-key.enc
      sprogtro pseudonymize notes/ --out pseudo/ --model none      # rules only, no spaCy
    """
    from tqdm import tqdm

    from sprogtro.privacy.batch import check_key_location, pseudonymize_folder
    from sprogtro.privacy.passphrase import get_passphrase
    from sprogtro.privacy.recognizers.ner import load_ner_pipeline
    from sprogtro.privacy.vault import KeyVault

    try:
        check_key_location(key_file, out_dir)
        passphrase = get_passphrase(confirm=not key_file.exists())
        vault = KeyVault.open_or_create(key_file, passphrase)
        nlp = load_ner_pipeline(model, say=say)
        with tqdm(unit="doc", desc="pseudonymize", disable=quiet, file=sys.stderr, leave=False) as bar:
            result = pseudonymize_folder(input_dir, out_dir, vault=vault, style=style, force=force, nlp=nlp,
                                         progress=bar.update)
    except SprogtroError as exc:
        raise click.ClickException(str(exc)) from None
    if not quiet:
        found = ", ".join(f"{n} {t}" for t, n in sorted(result.counts.items())) or "nothing"
        click.echo(f"{result.written} written, {result.skipped} already done → {out_dir} (replaced: {found}); "
                   f"key: {key_file}", err=True)
    if result.failures:
        for path, reason in result.failures:
            click.echo(f"failed: {path}: {reason}", err=True)
        raise click.ClickException(f"{len(result.failures)} source(s) could not be pseudonymized (listed above)")


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--key-file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The encrypted key written by `sprogtro pseudonymize`.")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path), default=None,
              help="Write the restored text here (default: standard output).")
@click.option("--path", "paths", multiple=True, metavar="PSEUDO_PATH",
              help="Print the original of a pseudonymized relative path (an output path or a stored doc_id) "
                   "instead of restoring a file's text; may be repeated.")
def reidentify(file: Path | None, key_file: Path, out_file: Path | None, paths: tuple[str, ...]) -> None:
    """Restore the originals in a pseudonymized FILE with the key (authorised use only).

    The passphrase comes from SPROGTRO_PASSPHRASE or a prompt; a wrong one is refused. FILE may be
    `-` for standard input. In tags style a lone first name comes back as the person's full name.
    With --path, the original folder and file names of pseudonymized paths are printed instead.

    \b
    Example:
      sprogtro reidentify pseudo/aarhus/notat.txt --key-file ~/keys/sprogtro-key.enc --out notat.txt
      sprogtro reidentify --path aarhus/notat_Hanne_2023.txt --key-file ~/keys/sprogtro-key.enc
    """
    from sprogtro._io import atomic_write_text as atomic_write
    from sprogtro.privacy.passphrase import get_passphrase
    from sprogtro.privacy.vault import KeyVault

    if (file is None) == (not paths):
        raise click.UsageError("give either FILE or --path (not both)")
    try:
        vault = KeyVault.open(key_file, get_passphrase())
        if paths:
            for path in paths:
                click.echo(vault.reidentify_path(path))
            return
        text = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
        restored = vault.reidentify(text)
        if out_file is None or str(out_file) == "-":
            click.echo(restored, nl=False)
        else:
            atomic_write(out_file, restored)
    except SprogtroError as exc:
        raise click.ClickException(str(exc)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"cannot read {file}: {exc.__class__.__name__}") from None
