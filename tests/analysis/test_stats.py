"""Statistics against textbook values."""

from __future__ import annotations

import math

import pytest
from scipy import stats as sps

from sprogtro.analysis.stats import (chi_square, log_likelihood, log_likelihood_p, log_ratio, mean_interval,
                                     wilson_interval)


@pytest.mark.parametrize("k,n,low,high", [
    (0, 10, 0.0, 0.2775),      # Wilson stays inside [0, 1] at 0/n
    (5, 10, 0.2366, 0.7634),
    (10, 10, 0.7225, 1.0),
    (81, 263, 0.2553, 0.3662),  # Newcombe (1998), example
])
def test_stats_wilson_interval_matches_known_values(k, n, low, high):
    lo, hi = wilson_interval(k, n)
    assert lo == pytest.approx(low, abs=5e-4)
    assert hi == pytest.approx(high, abs=5e-4)


@pytest.mark.parametrize("n", [7, 56, 200, 1001])
def test_stats_wilson_interval_exact_at_the_edges(n):
    assert wilson_interval(0, n)[0] == 0.0
    assert wilson_interval(n, n)[1] == 1.0


def test_stats_wilson_interval_empty_and_invalid():
    assert all(math.isnan(v) for v in wilson_interval(0, 0))
    with pytest.raises(ValueError):
        wilson_interval(5, 3)


def test_stats_chi_square_matches_scipy_and_cramers_v():
    table = [[10, 20, 30], [30, 20, 10]]
    res = chi_square(table)
    chi2, p, dof, _ = sps.chi2_contingency(table, correction=False)
    assert res.chi2 == pytest.approx(chi2)
    assert res.p_value == pytest.approx(p)
    assert res.dof == dof
    assert res.cramers_v == pytest.approx(math.sqrt(chi2 / 120))
    assert res.reliable


@pytest.mark.parametrize("table,v", [([[10, 0], [0, 10]], 1.0), ([[10, 10], [10, 10]], 0.0)])
def test_stats_cramers_v_bounds(table, v):
    assert chi_square(table).cramers_v == pytest.approx(v)


def test_stats_chi_square_drops_empty_rows_and_flags_small_expected():
    res = chi_square([[3, 1], [0, 0], [1, 2]])
    assert res.n_rows == 2 and res.n == 7
    assert not res.reliable
    assert math.isnan(chi_square([[5, 5]]).chi2)  # one group: no test


def test_stats_log_likelihood_textbook_value():
    # E1 = E2 = 7.5; G2 = 2 (10 ln(10/7.5) + 5 ln(5/7.5))
    expected = 2 * (10 * math.log(10 / 7.5) + 5 * math.log(5 / 7.5))
    assert log_likelihood(10, 5, 1000, 1000) == pytest.approx(expected)
    assert log_likelihood(5, 5, 1000, 1000) == pytest.approx(0.0)
    assert log_likelihood_p(3.841458820694124) == pytest.approx(0.05)


def test_stats_log_ratio_direction_and_zero_adjustment():
    assert log_ratio(10, 5, 1000, 1000) == pytest.approx(1.0)
    assert log_ratio(5, 10, 1000, 1000) == pytest.approx(-1.0)
    assert log_ratio(0, 4, 100, 100) == pytest.approx(math.log2(0.5 / 4))


def test_stats_mean_interval():
    mean, low, high = mean_interval([1, 2, 3, 4, 5, float("nan")])
    assert mean == 3
    assert low < 3 < high
    assert math.isnan(mean_interval([4.0])[1])
