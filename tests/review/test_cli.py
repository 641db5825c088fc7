"""`sprogtro review` and `sprogtro booklet` through the top-level CLI (CliRunner; no server started)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from sprogtro.cli import COMMANDS, cli
from sprogtro.review import booklet as booklet_mod
from sprogtro.review import cli as review_cli


@pytest.fixture
def served(monkeypatch):
    """Replace the server loop: record what would be served."""
    calls = []

    def fake_serve(app, host, port):
        calls.append({"app": app, "host": host, "port": port})

    monkeypatch.setattr(review_cli, "serve", fake_serve)
    return calls


def test_cli_review_and_booklet_are_registered():
    assert COMMANDS["review"] == "sprogtro.review.cli:review"
    assert COMMANDS["booklet"] == "sprogtro.review.cli:booklet"
    for name in ("review", "booklet"):
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0 and "Example" in result.output


def test_cli_review_binds_loopback_by_default_without_warning(project_dir, served):
    result = CliRunner().invoke(cli, ["review", "--project", str(project_dir)])
    assert result.exit_code == 0, result.output
    assert served[0]["host"] == "127.0.0.1" and served[0]["port"] == 8765
    assert served[0]["app"].config["ALLOWED_HOSTS"] == {"127.0.0.1", "localhost", "::1"}
    assert "WARNING" not in result.output and "http://127.0.0.1:8765/" in result.output


def test_cli_review_on_another_loopback_address_accepts_its_host_header(project_dir, served):
    result = CliRunner().invoke(cli, ["review", "--project", str(project_dir), "--host", "127.0.0.2"])
    assert result.exit_code == 0 and "WARNING" not in result.output
    client = served[0]["app"].test_client()
    assert client.get("/api/facets", headers={"Host": "127.0.0.2:8765"}).status_code == 200
    assert client.get("/api/facets", headers={"Host": "evil.example:8765"}).status_code == 400


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::"])
def test_cli_review_warns_when_bound_beyond_loopback(project_dir, served, host):
    result = CliRunner().invoke(cli, ["review", "--project", str(project_dir), "--host", host, "--port", "9000"])
    assert result.exit_code == 0, result.output
    assert "WARNING" in result.output and "no login" in result.output
    assert served[0]["app"].config["ALLOWED_HOSTS"] is None


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("127.0.0.2", True), ("localhost", True),
                                            ("::1", True), ("[::1]", True), ("0.0.0.0", False),
                                            ("10.0.0.5", False), ("example.org", False)])
def test_cli_is_loopback(host, loopback):
    assert review_cli.is_loopback(host) is loopback
    assert (review_cli.bind_warning(host) is None) is loopback


def test_cli_review_draws_and_saves_a_set(project_dir, served):
    result = CliRunner().invoke(cli, ["review", "--project", str(project_dir), "--set", "moede1",
                                      "--sample", "deficit=2,low=1", "--least-certain", "--seed", "3",
                                      "--no-serve"])
    assert result.exit_code == 0, result.output
    assert not served
    data = json.loads((project_dir / "review_sets" / "moede1.json").read_text(encoding="utf-8"))
    assert data["least_certain"] is True and len(data["items"]) == 3
    again = CliRunner().invoke(cli, ["review", "--project", str(project_dir), "--set", "moede1",
                                     "--sample", "deficit=1", "--no-serve"])
    assert again.exit_code == 1 and "exists already" in again.output
    serve = CliRunner().invoke(cli, ["review", "--project", str(project_dir), "--set", "moede1"])
    assert serve.exit_code == 0 and served[0]["app"].extensions["sprogtro_review"].set_name == "moede1"


@pytest.mark.parametrize("args, code, message", [
    (["--sample", "deficit=1"], 2, "--sample needs --set"),
    (["--set", "findes-ikke"], 1, "no discussion set"),
    (["--set", "x", "--sample", "sad=1"], 1, "unknown code"),
    (["--set", "x", "--no-serve"], 2, "--no-serve only"),
])
def test_cli_review_errors(project_dir, served, args, code, message):
    result = CliRunner().invoke(cli, ["review", "--project", str(project_dir), *args])
    assert result.exit_code == code and message in result.output
    assert not served


def test_cli_review_refuses_a_folder_that_is_not_a_project(tmp_path, served):
    result = CliRunner().invoke(cli, ["review", "--project", str(tmp_path / "nope")])
    assert result.exit_code == 1 and "not a sprogtro project" in result.output


def test_cli_booklet_writes_html(project_dir, tmp_path):
    out = tmp_path / "haefte.html"
    result = CliRunner().invoke(cli, ["booklet", "--project", str(project_dir), "--out", str(out),
                                      "--sample", "deficit=2,resource=1", "--title", "Møde i marts"])
    assert result.exit_code == 0, result.output
    assert "3 examples in 2 themes" in result.output
    assert "Møde i marts" in out.read_text(encoding="utf-8")


def test_cli_booklet_pdf_without_converter_fails_clearly_after_writing_html(project_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(booklet_mod, "find_chromium", lambda: None)
    monkeypatch.setattr(booklet_mod, "_weasyprint", lambda: None)
    out = tmp_path / "haefte.html"
    result = CliRunner().invoke(cli, ["booklet", "--project", str(project_dir), "--out", str(out), "--pdf"])
    assert result.exit_code == 1
    assert "written, but no PDF" in result.output and "apt-get install chromium" in result.output
    assert out.exists()


def test_cli_booklet_with_set_and_sample_saves_then_reuses_it(project_dir, tmp_path):
    args = ["booklet", "--project", str(project_dir), "--out", str(tmp_path / "b.html"), "--set", "m2",
            "--sample", "deficit=1"]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert (project_dir / "review_sets" / "m2.json").exists()
    second = CliRunner().invoke(cli, args)
    assert second.exit_code == 0 and "using the saved set" in second.output
