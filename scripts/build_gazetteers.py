#!/usr/bin/env python3
"""Build the name gazetteers in src/sprogtro/privacy/data/ from two permissively licensed sources.

* DaCy's names table (``dacy/resources/lookup_tables/names.csv`` in the ``dacy`` wheel, Apache-2.0):
  Danish first names and surnames (Danmarks Statistik 2021) and first names/surnames common among Muslim
  Danes (Meldgaard 2005), with gender and counts. DaCy is *not* a dependency: the wheel is downloaded
  with ``pip download --no-deps dacy`` and the CSV read from the zip.
* Faker's person providers (MIT, installed with the ``test`` extra): ``da_DK`` (Danish), and, for names
  common among immigrants and their descendants in Denmark, ``pl_PL``, ``ro_RO``, ``tr_TR``, ``hr_HR``,
  ``sl_SI``, ``lt_LT``, ``vi_VN`` (Latin-script names only), ``sv_SE`` and ``no_NO``.
* ``data/extra_names.csv``: a short hand-written supplement of common names the two lack (Zeynep,
  Jovana, Oksana, Petrović…).

Usage::

    python scripts/build_gazetteers.py [--dacy-wheel PATH]

Writes ``first_names.csv`` (name, gender, origin, source, count) and ``surnames.csv`` (name, origin,
source, count); ``count`` is DaCy's number of bearers (0 for names only Faker lists).
"""

from __future__ import annotations

import argparse
import csv
import importlib
import io
import re
import subprocess
import sys
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "src" / "sprogtro" / "privacy" / "data"
DACY_MEMBER = "dacy/resources/lookup_tables/names.csv"
FAKER_IMMIGRANT_LOCALES = ("pl_PL", "ro_RO", "tr_TR", "hr_HR", "sl_SI", "lt_LT", "vi_VN", "sv_SE", "no_NO")
LATIN_NAME = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-ſ][A-Za-zÀ-ÖØ-öø-ÿĀ-ſ'\-]+$")
DROP = {"Unavngivet", "De", "Den", "Det", "Doe"}


def _dacy_rows(wheel: Path | None) -> list[dict[str, str]]:
    if wheel is None:
        tmp = Path(tempfile.mkdtemp())
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "dacy", "-d", str(tmp)], check=True)
        wheel = next(tmp.glob("dacy-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        text = zf.read(DACY_MEMBER).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _ok(name: str) -> bool:
    return bool(LATIN_NAME.match(name)) and name not in DROP and len(name) >= 2


def build(wheel: Path | None) -> tuple[int, int]:
    # first names: name -> {gender: weight}, origin, sources
    gender_w: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    origin: dict[str, str] = {}
    sources: dict[str, set[str]] = defaultdict(set)
    surnames: dict[str, tuple[str, set[str]]] = {}
    counts: dict[str, float] = defaultdict(float)  # DaCy counts (people with the name), for surrogate choice

    for row in _dacy_rows(wheel):
        name = row["name"].strip()
        if not _ok(name):
            continue
        ethnicity = "danish" if row["ethnicity"] == "danish" else "immigrant"
        counts[name] += float(row["count"] or 0)
        if row["first_name"] == "True":
            gender_w[name][row["gender"]] += float(row["count"] or 0) + 1.0
            origin.setdefault(name, ethnicity)
            sources[name].add("dacy")
        else:
            surnames.setdefault(name, (ethnicity, set()))[1].add("dacy")

    for locale in ("da_DK", *FAKER_IMMIGRANT_LOCALES):
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        ethnicity = "danish" if locale == "da_DK" else "immigrant"
        for attr, gender in (("first_names_male", "male"), ("first_names_female", "female")):
            for name in getattr(provider, attr, ()):
                if _ok(name):
                    gender_w[name][gender] += 1.0
                    origin.setdefault(name, ethnicity)
                    sources[name].add(f"faker:{locale}")
        for name in list(getattr(provider, "last_names", ())):
            if _ok(name):
                surnames.setdefault(name, (ethnicity, set()))[1].add(f"faker:{locale}")

    # A hand-written supplement (data/extra_names.csv, MIT) for common names the sources lack.
    for row in csv.DictReader((DATA / "extra_names.csv").read_text(encoding="utf-8").splitlines()):
        name = row["name"].strip()
        if row["kind"] == "first":
            gender_w[name][row["gender"]] += 1.0
            origin.setdefault(name, "immigrant")
            sources[name].add("sprogtro")
        else:
            surnames.setdefault(name, ("immigrant", set()))[1].add("sprogtro")

    with open(DATA / "first_names.csv", "w", encoding="utf-8", newline="\n") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["name", "gender", "origin", "source", "count"])
        for name in sorted(gender_w):
            weights = gender_w[name]
            total = sum(weights.values())
            top = max(("male", "female"), key=lambda g: weights.get(g, 0.0))
            gender = top if weights.get(top, 0.0) >= 0.8 * total else "both"
            out.writerow([name, gender, origin[name], "+".join(sorted(sources[name])), int(counts[name])])
    with open(DATA / "surnames.csv", "w", encoding="utf-8", newline="\n") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["name", "origin", "source", "count"])
        for name in sorted(surnames):
            eth, src = surnames[name]
            out.writerow([name, eth, "+".join(sorted(src)), int(counts[name])])
    return len(gender_w), len(surnames)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dacy-wheel", type=Path, help="a downloaded dacy-*.whl (default: pip download it)")
    args = parser.parse_args()
    n_first, n_sur = build(args.dacy_wheel)
    print(f"first_names.csv: {n_first} names; surnames.csv: {n_sur} names → {DATA}")


if __name__ == "__main__":
    main()
