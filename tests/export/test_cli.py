"""`sprogtro export`, `import-codings` and `agreement` through the CLI: the analyst's round trip."""

from __future__ import annotations

import json
import zipfile

from click.testing import CliRunner

from sprogtro.cli import cli
from sprogtro.store import Project


def run(*args):
    return CliRunner().invoke(cli, list(map(str, args)), catch_exceptions=False)


def test_cli_export_import_agreement_round_trip(full_project, tmp_path):
    """Export the project, 'code more' in a QDA tool (here: the export re-imported as another coder),
    import it back and compare it with the machine's coding."""
    path = full_project.path
    full_project.close()
    out = tmp_path / "til_nvivo.qdpx"
    result = run("export", "--project", path, "--format", "qdpx", "--out", out)
    assert result.exit_code == 0, result.output
    assert "project.qde" in zipfile.ZipFile(out).namelist()
    for fmt in ("qdc", "csv", "xlsx", "parquet", "jsonl"):
        target = tmp_path / f"eksport.{fmt}"
        assert run("export", "--project", path, "--out", target).exit_code == 0  # format from the suffix
        assert target.stat().st_size > 0
    lærke = tmp_path / "lærke.qdpx"
    assert run("export", "--project", path, "--out", lærke, "--coder", "Lærke").exit_code == 0
    result = run("import-codings", lærke, "--project", path, "--coder", "Lærke (NVivo)")
    assert result.exit_code == 0, result.output
    assert "4 new" in result.output
    result = run("agreement", "--project", path, "--coders", "Lærke,Lærke (NVivo)", "--out", tmp_path / "a.json")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert data["comparison"] == "human–human" and data["overall"]["percent_agreement"] == 1.0
    result = run("agreement", "--project", path, "--coders", "sprogtro-rules,Lærke", "--level", "span",
                 "--out", tmp_path / "a.csv")
    assert result.exit_code == 0 and "model–human" in result.output
    assert (tmp_path / "a.csv").read_text(encoding="utf-8").startswith("level,")
    with Project.open(path) as p:
        assert p.status()["coders"][-1]["name"] == "Lærke (NVivo)"


def test_cli_export_errors_are_one_line(full_project, tmp_path):
    path = full_project.path
    full_project.close()
    result = run("export", "--project", path, "--out", tmp_path / "x.unknown")
    assert result.exit_code != 0 and "give --format" in result.output
    result = run("export", "--project", path, "--out", tmp_path / "x.csv", "--coder", "Ingen")
    assert result.exit_code != 0 and "no coder named" in result.output
    result = run("agreement", "--project", path, "--coders", "Lærke")
    assert result.exit_code != 0 and "two" in result.output


def test_cli_import_strict_fails_on_mismatch(project, tmp_path):
    from tests.export.conftest import example_path

    path = project.path
    project.close()
    result = run("import-codings", example_path("atlasti-8.4-spec-annexA2/Project.qde"), "--project", path,
                 "--strict")
    assert result.exit_code != 0 and "could not be imported" in result.output
