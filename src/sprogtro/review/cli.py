"""Click commands of the review stage: ``review`` (the web app) and ``booklet`` (the printable booklet).

They parse, call :mod:`sprogtro.review` and format. Flask is imported only when ``review`` runs, so
``--help`` works without the ``review`` extra installed.
"""

from __future__ import annotations

from pathlib import Path

import click

from sprogtro.errors import SprogtroError
from sprogtro.review.hosts import LOOPBACK_NAMES, is_loopback

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _project_option(func):
    return click.option("--project", "project_dir", required=True,
                        type=click.Path(file_okay=False, path_type=Path),
                        help="The project folder (made with `sprogtro init`, coded with `sprogtro code`).")(func)


def _set_options(func):
    for option in reversed([
        click.option("--set", "set_name", default=None, metavar="NAME",
                     help="Discussion set P/review_sets/NAME.json (with --sample: draw and save it first)."),
        click.option("--sample", "spec", default=None, metavar="SPEC",
                     help="Draw a set: codes and counts, e.g. deficit=10,resource=10,low=5 "
                          "(qualify ambiguous codes: expectation.none)."),
        click.option("--seed", default=0, show_default=True, type=int, help="Seed of the draw."),
        click.option("--least-certain", is_flag=True,
                     help="Active learning: take the sentences the classifier is least sure of first."),
        click.option("--measure", type=click.Choice(["margin", "maxprob"]), default="margin",
                     show_default=True, help="Uncertainty: margin between the two best labels, or top probability."),
        click.option("--replace", is_flag=True, help="Overwrite an existing set of the same name."),
    ]):
        func = option(func)
    return func


def _draw_and_save(project_dir: Path, set_name: str, spec: str, seed: int, least_certain: bool,
                   measure: str, replace: bool) -> None:
    from sprogtro.review.items import ItemIndex
    from sprogtro.review.sets import draw_set, save_set
    from sprogtro.review.source import ReviewSource

    source = ReviewSource(project_dir)
    try:
        index = ItemIndex(source.sentences())
    finally:
        source.close()
    dset = draw_set(index, set_name, spec, seed=seed, least_certain=least_certain, measure=measure)
    path = save_set(project_dir, dset, overwrite=replace)
    short = [f"{s['theme']} {s['found']}/{s['requested']}" for s in dset.strata if s["found"] < s["requested"]]
    click.echo(f"saved discussion set {set_name!r}: {len(dset.items)} sentences → {path}", err=True)
    if short:
        click.echo("fewer sentences than asked for: " + ", ".join(short), err=True)


def bind_warning(host: str) -> str | None:
    """The warning printed when the app is bound beyond this machine (None for loopback)."""
    if is_loopback(host):
        return None
    return (
        f"WARNING: the review app listens on {host}, so other machines on the network can reach it. It has "
        "no login: anyone who reaches it can read the (pseudonymized) sentences and write reviews. Use the "
        "default --host 127.0.0.1 unless the group must connect from other machines, and then only on a "
        "trusted network."
    )


def _check_port(host: str, port: int) -> None:
    """Raise OSError when ``host:port`` cannot be bound (Werkzeug would print and exit instead)."""
    import socket

    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host.strip("[]"), port))


def serve(app, host: str, port: int) -> None:  # pragma: no cover - the browser tests run the same server
    """Run ``app`` with Werkzeug's threaded server until Ctrl+C. (Werkzeug's server is fine for a
    learning group on one machine; it is not meant to face the internet, and the app binds loopback.)"""
    from werkzeug.serving import make_server

    _check_port(host, port)
    server = make_server(host, port, app, threaded=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("sprogtro review: stopped", err=True)
    finally:
        server.server_close()


@click.command(context_settings=CONTEXT)
@_project_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Loopback keeps the app on this machine.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@_set_options
@click.option("--no-serve", is_flag=True, help="Only draw and save the set (with --sample); start no server.")
def review(project_dir: Path, host: str, port: int, set_name: str | None, spec: str | None, seed: int,
           least_certain: bool, measure: str, replace: bool, no_serve: bool) -> None:
    """Open the review app for a learning group in the browser.

    Shows flagged sentences (deficit/resource framing, high/low/uncertain expectation, action/waiting)
    with their context, highlighted cues and why they were coded. Reviewers give their name and agree,
    disagree with a corrected code, skip or comment, by mouse or keyboard (a, d, 1-4, s, c, j/k). Reviews
    go to the project store with reviewer and time. With --set, the app shows a discussion set; with
    --set and --sample it draws one first (stratified, seeded; --least-certain puts the classifier's
    least certain sentences first).

    \b
    Example:
      sprogtro review --project mit_projekt
      sprogtro review --project mit_projekt --set moede1 --sample deficit=10,resource=10,low=5 --least-certain
    """
    try:
        from sprogtro.review.app import create_app
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] in ("flask", "werkzeug"):
            raise click.ClickException("the review app needs Flask: pip install 'sprogtro[review]'") from None
        raise
    if spec and not set_name:
        raise click.UsageError("--sample needs --set NAME (the name to save the drawn set under)")
    try:
        if spec:
            _draw_and_save(project_dir, set_name, spec, seed, least_certain, measure, replace)
        if no_serve:
            if not spec:
                raise click.UsageError("--no-serve only makes sense with --set NAME --sample SPEC")
            return
        allowed = (set(LOOPBACK_NAMES) | {host.strip("[]").lower()}) if is_loopback(host) else None
        app = create_app(project_dir, set_name=set_name, allowed_hosts=allowed)
    except SprogtroError as exc:
        raise click.ClickException(str(exc)) from None
    warning = bind_warning(host)
    if warning:
        click.secho(warning, fg="red", bold=True, err=True)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"sprogtro review: open http://{shown}:{port}/ in a browser (Ctrl+C stops)", err=True)
    try:
        serve(app, host, port)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port} ({exc.strerror or exc}); "
                                   "choose another --port") from None
    finally:
        app.extensions["sprogtro_review"].source.close()


@click.command(context_settings=CONTEXT)
@_project_option
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The booklet HTML file to write.")
@click.option("--pdf", "pdf", is_flag=True,
              help="Also print it to PDF (OUT with .pdf) with headless Chromium or WeasyPrint.")
@_set_options
@click.option("--title", default=None, help="Title on the cover.")
def booklet(project_dir: Path, out: Path, pdf: bool, set_name: str | None, spec: str | None, seed: int,
            least_certain: bool, measure: str, replace: bool, title: str | None) -> None:
    """Write a printable workshop booklet: example sentences grouped by theme (deficit, resource, low
    expectation …), each with its context, why it was coded, reflection questions and room for notes.

    Uses the discussion set --set NAME, or draws one now (--sample, default a mix of every code; not
    saved unless --set is given too). --pdf prints it with headless Chromium, or WeasyPrint when
    installed; without either, the HTML is still written and can be printed from a browser.

    \b
    Example:
      sprogtro booklet --project mit_projekt --out haefte.html --pdf
      sprogtro booklet --project mit_projekt --set moede1 --out moede1.html
    """
    from sprogtro.review.booklet import PdfUnavailable, write_booklet
    from sprogtro.review.sets import DEFAULT_SPEC, set_path

    try:
        if spec and set_name:
            if set_path(project_dir, set_name).exists() and not replace:
                click.echo(f"using the saved set {set_name!r} (add --replace to draw it again)", err=True)
            else:
                _draw_and_save(project_dir, set_name, spec, seed, least_certain, measure, replace)
        result = write_booklet(project_dir, out, set_name=set_name, spec=spec or DEFAULT_SPEC, seed=seed,
                               least_certain=least_certain, measure=measure, pdf=pdf, title=title)
    except PdfUnavailable as exc:
        raise click.ClickException(f"{out} written, but no PDF: {exc}") from None
    except SprogtroError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"booklet: {result.examples} examples in {result.themes} themes → {result.html}", err=True)
    if result.missing:
        click.echo(f"{result.missing} sentence(s) of the set are no longer in the project (left out)", err=True)
    if result.pdf:
        click.echo(f"PDF ({result.converter}) → {result.pdf}", err=True)
