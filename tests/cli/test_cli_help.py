"""Every command has --help with an example, and --help never imports spaCy (the CLI loads lazily)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from sprogtro.cli import COMMANDS, cli


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_cli_every_command_has_help_with_example(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output, f"{name} --help lacks an example"


def test_cli_top_level_help_lists_commands():
    result = CliRunner().invoke(cli, ["-h"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output


def test_cli_help_does_not_import_spacy():
    code = "import sys; from sprogtro.cli import main\ntry:\n main(['--help'])\nexcept SystemExit: pass\nprint('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "False"


def test_cli_unknown_command_fails_with_reason():
    result = CliRunner().invoke(cli, ["no-such-command"])
    assert result.exit_code != 0
    assert "No such command" in result.output
