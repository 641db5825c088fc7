"""The printable workshop booklet: example sentences grouped by theme, each with its context, why it
was coded, reflection questions and room for notes.

:func:`render_booklet` returns one self-contained HTML file (print CSS inlined, no scripts, no
external requests). :func:`html_to_pdf` prints it to PDF with headless Chromium (``--print-to-pdf``) or,
when no Chromium is installed, WeasyPrint if that package is importable; otherwise it raises
:class:`PdfUnavailable` with what to install.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from sprogtro.errors import SprogtroError
from sprogtro._io import atomic_write_text
from sprogtro.review.codebook import ROLE_LABELS, ReviewCodebook
from sprogtro.review.items import CODE_DIMENSION, ItemIndex
from sprogtro.review.sets import DEFAULT_SPEC, DiscussionSet, draw_set, resolve_set

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
PDF_TIMEOUT_S = 180
_CLASS_RE = re.compile(r"[^a-z_]")


class PdfUnavailable(SprogtroError):
    """No PDF converter is installed (or it failed): the HTML booklet is still written."""


@dataclass
class BookletResult:
    html: Path
    pdf: Path | None
    examples: int
    themes: int
    missing: int
    converter: str | None = None


def _env() -> Environment:
    return Environment(
        loader=PackageLoader("sprogtro.review", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _css() -> str:
    return resources.files("sprogtro.review").joinpath("static", "booklet.css").read_text(encoding="utf-8")


def _cue_class(cue: dict) -> str:
    code = str(cue.get("effective") or cue.get("code") or "").split(".")[-1]
    cls = ["cue", f"cue-{_CLASS_RE.sub('', code)}"]
    if not cue.get("relevant", True):
        cls.append("cue-other")
    if cue.get("negated"):
        cls.append("cue-negated")
    if cue.get("hedged"):
        cls.append("cue-hedged")
    return " ".join(cls)


def booklet_context(index: ItemIndex, codebook: ReviewCodebook, dset: DiscussionSet, *,
                    project_name: str = "", title: str | None = None) -> dict:
    """The data the booklet template renders (plain dicts and strings)."""
    present, missing = resolve_set(index, dset)
    present_ids = set(present)
    themes = []
    number = 0
    for stratum in dset.strata:
        theme = stratum["theme"]
        dim, code = theme.split(".", 1)
        entries = [e for e in dset.items if e["theme"] == theme and e["item_id"] in present_ids]
        if not entries:
            continue
        examples = []
        for entry in entries:
            number += 1
            data = index.explain(entry["item_id"])
            for seg in data["segments"]:
                if seg["cue"]:
                    seg["cue"]["css"] = _cue_class(seg["cue"])
            for cue in data["why"]["cues"]:
                key = cue["effective"] or cue["code"]
                cue_dim = CODE_DIMENSION.get(key)
                cue["label"] = codebook.label(cue_dim, key) if cue_dim else key
            data["number"] = number
            data["role_label"] = ROLE_LABELS.get(data["role"] or "", data["role"])
            data["choices"] = [{"value": c.value, "label": c.label} for c in codebook.codes.get(dim, [])]
            examples.append(data)
        info = codebook.get(dim, code)
        themes.append({
            "theme": theme,
            "dimension": dim,
            "dimension_label": codebook.dimension_labels.get(dim, dim),
            "code": code,
            "label": codebook.label(dim, code),
            "definition": info.definition if info else "",
            "questions": codebook.questions(dim, code),
            "css": f"badge-{_CLASS_RE.sub('', code)}",
            "examples": examples,
        })
    return {
        "title": title or "Sprog og forventninger – arbejdshæfte til læringsgruppen",
        "project": project_name,
        "set_name": dset.name,
        "date": date.today().strftime("%d.%m.%Y"),
        "themes": themes,
        "n_examples": number,
        "missing": len(missing),
        "general_questions": codebook.general_questions,
        "least_certain": dset.least_certain,
        "css": _css(),
    }


def render_booklet(index: ItemIndex, codebook: ReviewCodebook, dset: DiscussionSet, *,
                   project_name: str = "", title: str | None = None) -> tuple[str, dict]:
    """The booklet as one HTML string, and the context it was rendered from."""
    ctx = booklet_context(index, codebook, dset, project_name=project_name, title=title)
    return _env().get_template("booklet.html").render(**ctx), ctx


def write_booklet(project_dir: str | os.PathLike, out: str | os.PathLike, *, set_name: str | None = None,
                  spec: str = DEFAULT_SPEC, seed: int = 0, least_certain: bool = False,
                  measure: str = "margin", pdf: bool | str | os.PathLike = False, title: str | None = None) -> BookletResult:
    """Write the booklet for a project: from the discussion set ``set_name``, or from a set drawn now
    with ``spec``/``seed``/``least_certain`` (not saved). ``pdf``: True for ``OUT.pdf`` beside the HTML,
    or a path. Raises :class:`PdfUnavailable` after writing the HTML when no converter works."""
    from sprogtro.review.sets import load_set
    from sprogtro.review.source import ReviewSource

    source = ReviewSource(project_dir)
    try:
        index = ItemIndex(source.sentences())
        codebook = source.codebook()
        name = getattr(source.project(), "name", "") or Path(project_dir).name
        if set_name:
            dset = load_set(project_dir, set_name)
        else:
            dset = draw_set(index, "haefte", spec, seed=seed, least_certain=least_certain, measure=measure)
    finally:
        source.close()
    html, ctx = render_booklet(index, codebook, dset, project_name=str(name), title=title)
    out = atomic_write_text(out, html)
    result = BookletResult(html=out, pdf=None, examples=ctx["n_examples"], themes=len(ctx["themes"]),
                           missing=ctx["missing"])
    if pdf:
        pdf_path = out.with_suffix(".pdf") if pdf is True else Path(pdf)
        result.converter = html_to_pdf(out, pdf_path)
        result.pdf = pdf_path
    return result


# ------------------------------------------------------------------ PDF


def find_chromium() -> str | None:
    """A Chromium or Chrome executable on PATH (or Debian's /usr/bin/chromium), else None."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def _weasyprint():
    try:
        import weasyprint  # type: ignore[import-not-found]
    except Exception:  # ImportError, or OSError when its system libraries are missing
        return None
    return weasyprint


def html_to_pdf(html_path: str | os.PathLike, pdf_path: str | os.PathLike, *, engine: str = "auto") -> str:
    """Print ``html_path`` to ``pdf_path``; returns the converter used (``chromium`` or ``weasyprint``).

    ``engine``: ``auto`` (Chromium, then WeasyPrint), ``chromium`` or ``weasyprint``.
    """
    html_path, pdf_path = Path(html_path).resolve(), Path(pdf_path)
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    errors = []
    if engine in ("auto", "chromium"):
        exe = find_chromium()
        if exe:
            try:
                _chromium_pdf(exe, html_path, pdf_path)
                return "chromium"
            except PdfUnavailable as exc:
                errors.append(str(exc))
        else:
            errors.append("no Chromium/Chrome found on PATH")
    if engine in ("auto", "weasyprint"):
        wp = _weasyprint()
        if wp is not None:
            wp.HTML(filename=str(html_path)).write_pdf(str(pdf_path))
            return "weasyprint"
        errors.append("WeasyPrint is not installed")
    raise PdfUnavailable(
        "no PDF converter worked (" + "; ".join(errors) + "). Install Chromium (Debian: apt-get install "
        f"chromium) or WeasyPrint (pip install weasyprint), or open {html_path.name} in a browser and "
        "print it to PDF."
    )


def _chromium_pdf(exe: str, html_path: Path, pdf_path: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="sprogtro-chromium-") as profile:
        tmp_pdf = Path(profile) / "booklet.pdf"
        cmd = [
            exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-extensions", "--no-first-run", "--no-default-browser-check",
            f"--user-data-dir={profile}", "--no-pdf-header-footer", "--print-to-pdf-no-header",
            f"--print-to-pdf={tmp_pdf}", html_path.as_uri(),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=PDF_TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PdfUnavailable(f"Chromium could not print the booklet ({exc.__class__.__name__})") from None
        if not tmp_pdf.exists() or tmp_pdf.stat().st_size == 0 or tmp_pdf.read_bytes()[:5] != b"%PDF-":
            tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            raise PdfUnavailable(f"Chromium wrote no PDF (exit {proc.returncode}: {tail[0][:200]})")
        shutil.move(str(tmp_pdf), str(pdf_path))
