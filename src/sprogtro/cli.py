"""The command line: parses, calls the library, formats. Subcommands load lazily so ``--help`` never
imports spaCy. Each stage owns its commands in ``sprogtro.<stage>.cli``."""

from __future__ import annotations

import importlib
import sys

import click

from sprogtro import __version__
from sprogtro.errors import SprogtroError

# command name → "module:attribute" (the click command object)
COMMANDS: dict[str, str] = {
    "pseudonymize": "sprogtro.privacy.cli:pseudonymize",
    "reidentify": "sprogtro.privacy.cli:reidentify",
    "code": "sprogtro.nlp.cli:code",
    "evaluate": "sprogtro.nlp.cli:evaluate",
    "train": "sprogtro.nlp.cli:train",
    "train-pipeline": "sprogtro.nlp.train_pipeline:train_pipeline_command",
    "init": "sprogtro.store.cli:init",
    "ingest": "sprogtro.store.cli:ingest",
    "status": "sprogtro.store.cli:status",
    "export": "sprogtro.export.cli:export",
    "import-codings": "sprogtro.export.cli:import_codings",
    "agreement": "sprogtro.export.cli:agreement",
    "topics": "sprogtro.analysis.cli:topics",
    "compare": "sprogtro.analysis.cli:compare",
    "report": "sprogtro.analysis.cli:report",
    "review": "sprogtro.review.cli:review",
    "booklet": "sprogtro.review.cli:booklet",
    "demo": "sprogtro.demo:demo",
}

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class LazyGroup(click.Group):
    """A group whose subcommands are imported only when invoked or asked for help."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            missing = exc.name or "?"
            if missing.startswith("sprogtro"):
                raise
            return _missing_dependency_command(name, missing)
        return getattr(module, attr)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except SprogtroError as exc:
            raise click.ClickException(str(exc)) from exc


def _missing_dependency_command(name: str, module: str) -> click.Command:
    @click.command(name=name, help=f"Unavailable: needs the Python package {module!r}.")
    def unavailable() -> None:
        raise click.ClickException(
            f"'{name}' needs the optional package {module!r}: pip install 'sprogtro[all]'"
        )

    return unavailable


@click.group(cls=LazyGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="sprogtro")
def cli() -> None:
    """sprogtro: how Danish caseworkers write and speak about citizens.

    Pseudonymize case texts, code deficit/resource framing, expectations and action, compare
    municipalities, review with learning groups, and export to NVivo, ATLAS.ti, MAXQDA or QualCoder.

    \b
    Example:
      sprogtro demo demo_out
      sprogtro pseudonymize notes/ --out pseudo/ --key-file ~/keys/sprogtro-key.enc
      sprogtro code pseudo/ --out coded.csv --assume-pseudonymized
    """


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv, prog_name="sprogtro")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
