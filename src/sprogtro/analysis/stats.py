"""Small, tested statistics: Wilson intervals, chi-square with Cramér's V, keyness (LL and log ratio).

Plain numpy/scipy, no pandas state, so each formula can be checked against a textbook value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

Z95 = 1.959963984540054


def wilson_interval(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion k/n (95% by default); ``(nan, nan)`` when n == 0.

    Unlike the normal ("Wald") interval it stays inside [0, 1] and behaves at 0/n and n/n, which matters
    for the small groups typical of one municipality's document type.
    """
    if n <= 0:
        return (math.nan, math.nan)
    if not 0 <= k <= n:
        raise ValueError(f"k={k} outside 0..n={n}")
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    # at 0/n and n/n the bound is exactly 0 or 1 (the formula leaves float dust like 7e-18)
    low = 0.0 if k == 0 else max(0.0, centre - half)
    high = 1.0 if k == n else min(1.0, centre + half)
    return (low, high)


def mean_interval(values, z: float = Z95) -> tuple[float, float, float]:
    """Mean and normal-approximation 95% interval (mean ± z·SE); NaNs are dropped. SE needs n ≥ 2."""
    arr = np.asarray([v for v in values if v == v], dtype=float)
    if arr.size == 0:
        return (math.nan, math.nan, math.nan)
    mean = float(arr.mean())
    if arr.size < 2:
        return (mean, math.nan, math.nan)
    se = float(arr.std(ddof=1) / math.sqrt(arr.size))
    return (mean, mean - z * se, mean + z * se)


@dataclass(frozen=True)
class ContingencyResult:
    chi2: float
    dof: int
    p_value: float
    cramers_v: float
    n: int
    n_rows: int
    n_cols: int
    min_expected: float
    share_expected_below_5: float

    @property
    def reliable(self) -> bool:
        """Cochran's rule: no expected count below 1 and at most 20% below 5."""
        return self.min_expected >= 1 and self.share_expected_below_5 <= 0.2


def chi_square(table) -> ContingencyResult:
    """Pearson chi-square test of independence with Cramér's V as effect size.

    Rows or columns that are all zero are dropped first (they carry no information and make expected
    counts zero). Needs at least a 2×2 table after that; otherwise the statistics are NaN. No continuity
    correction, so V is the textbook sqrt(chi2 / (n · (min(r, c) − 1))).
    """
    arr = np.asarray(table, dtype=float)
    arr = arr[arr.sum(axis=1) > 0][:, arr.sum(axis=0) > 0] if arr.size else arr.reshape(0, 0)
    n = int(arr.sum())
    r, c = arr.shape if arr.ndim == 2 else (0, 0)
    if r < 2 or c < 2:
        return ContingencyResult(math.nan, 0, math.nan, math.nan, n, r, c, math.nan, math.nan)
    chi2, p, dof, expected = stats.chi2_contingency(arr, correction=False)
    v = math.sqrt(chi2 / (n * (min(r, c) - 1)))
    return ContingencyResult(
        chi2=float(chi2), dof=int(dof), p_value=float(p), cramers_v=float(v), n=n, n_rows=r, n_cols=c,
        min_expected=float(expected.min()), share_expected_below_5=float((expected < 5).mean()),
    )


def log_likelihood(a: float, b: float, c: float, d: float) -> float:
    """Log-likelihood G² keyness (Rayson & Garside 2000) of a term seen a times in a corpus of c tokens
    against b times in a reference corpus of d tokens. Always ≥ 0; see :func:`log_ratio` for direction."""
    if c <= 0 or d <= 0:
        return math.nan
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    g2 = 0.0
    if a > 0:
        g2 += a * math.log(a / e1)
    if b > 0:
        g2 += b * math.log(b / e2)
    return 2.0 * g2


def log_likelihood_p(g2: float) -> float:
    """p-value of a G² keyness score (chi-square, 1 degree of freedom)."""
    return float(stats.chi2.sf(g2, 1)) if g2 == g2 else math.nan


def log_ratio(a: float, b: float, c: float, d: float, zero: float = 0.5) -> float:
    """Hardie's (2014) log ratio: log2 of the relative frequencies (a/c) / (b/d). A zero count is
    replaced by ``zero`` (0.5) so the ratio stays finite. +1 means twice as frequent as the reference."""
    if c <= 0 or d <= 0:
        return math.nan
    a = a if a > 0 else zero
    b = b if b > 0 else zero
    return math.log2((a / c) / (b / d))
