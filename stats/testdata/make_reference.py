#!/usr/bin/python3
"""Reference values for package stats, computed with scipy.

Run from this directory:  /usr/bin/python3 make_reference.py > reference.json
(needs python3-scipy and python3-numpy; tested with scipy 1.10.1). The Go
tests read reference.json and never need scipy themselves.

Every data set is drawn here from a fixed numpy seed and stored in the JSON
with the values computed from it, so the Go side checks the same numbers.
"""
import json
import math
import sys

import numpy as np
import scipy
from scipy import stats

B = 100_000  # bootstrap resamples, as the acceptance asks (>= 10^5)


def ratio_pct(x, y, axis=-1):
    """The statistic of package stats: (mean(variant)/mean(baseline) - 1)*100."""
    return (np.mean(y, axis=axis) / np.mean(x, axis=axis) - 1) * 100


def datasets():
    rng = np.random.default_rng(20241010)
    yield "normal_40_40", rng.normal(100, 3, 40), rng.normal(95, 4, 40), True
    yield "lognormal_40_40", rng.lognormal(4.6, 0.25, 40), rng.lognormal(4.55, 0.3, 40), True
    bim = lambda n, lo, hi, p: np.where(rng.random(n) < p, rng.normal(lo, 2, n), rng.normal(hi, 2, n))
    yield "bimodal_40_40", bim(40, 90, 110, 0.5), bim(40, 88, 108, 0.6), True
    yield "unequal_40_25", rng.normal(1e6, 2e4, 40), rng.normal(1.01e6, 3e4, 25), False
    yield "small_8_10", rng.normal(50, 5, 8), rng.normal(52, 5, 10), False
    yield "skewed_12_12", rng.exponential(10, 12) + 100, rng.exponential(12, 12) + 100, True
    # Rounded values: many ties (the Mann-Whitney test takes its normal
    # approximation with tie correction).
    yield "ties_30_30", np.round(rng.normal(20, 2, 30)), np.round(rng.normal(21, 2, 30)), True


def t_ppf(p, df):
    """Student t quantile to machine precision.

    scipy 1.10's t.ppf (cephes stdtrit) is off by ~4e-9 relative, e.g.
    t.ppf(0.975, 40) = 2.0210753829953374 while t.cdf of that is
    0.9749999996; the true value is 2.02107539030627. Two Newton steps on
    t.cdf (accurate to ~1e-15) fix it; the result agrees with the
    betaincinv closed form.
    """
    x = stats.t.ppf(p, df)
    for _ in range(2):
        x -= (stats.t.cdf(x, df) - p) / stats.t.pdf(x, df)
    return x


def t_interval(b, v, df, confidence):
    se = math.sqrt(np.var(b, ddof=1) / len(b) + np.var(v, ddof=1) / len(v))
    q = t_ppf(1 - (1 - confidence) / 2, df)
    d = np.mean(v) - np.mean(b)
    mb = np.mean(b)
    return [(d - q * se) / mb * 100, (d + q * se) / mb * 100]


def welch_df(b, v):
    qb, qv = np.var(b, ddof=1) / len(b), np.var(v, ddof=1) / len(v)
    return (qb + qv) ** 2 / (qb**2 / (len(b) - 1) + qv**2 / (len(v) - 1))


def comparisons():
    out = []
    for i, (name, b, v, pairable) in enumerate(datasets()):
        for confidence in (0.95, 0.90):
            case = {
                "name": name,
                "confidence": confidence,
                "baseline": b.tolist(),
                "variant": v.tolist(),
                "change_pct": float(ratio_pct(b, v)),
                "mean_b": float(np.mean(b)),
                "sd_b": float(np.std(b, ddof=1)),
                "median_b": float(np.median(b)),
            }
            for method in ("BCa", "percentile"):
                res = stats.bootstrap((b, v), ratio_pct, vectorized=True, paired=False,
                                      confidence_level=confidence, n_resamples=B,
                                      method=method, random_state=np.random.default_rng(i))
                case[method.lower()] = [float(res.confidence_interval.low),
                                        float(res.confidence_interval.high)]
            case["t"] = t_interval(b, v, min(len(b), len(v)), confidence)
            case["welch"] = t_interval(b, v, welch_df(b, v), confidence)
            ties = len(np.unique(np.concatenate([b, v]))) < len(b) + len(v)
            # benchmath (go-moremath) is exact up to n=50 without ties and
            # n=25 with ties, asymptotic with tie and continuity correction
            # beyond; scipy is told to do the same.
            exact = max(len(b), len(v)) <= (25 if ties else 50)
            case["mannwhitney_p"] = float(stats.mannwhitneyu(
                v, b, alternative="two-sided", method="exact" if exact else "asymptotic").pvalue)
            tt = stats.ttest_ind(v, b, equal_var=False)
            case["welch_p"] = float(tt.pvalue)
            case["welch_df"] = float(welch_df(b, v))
            if pairable:
                res = stats.bootstrap((b, v), ratio_pct, vectorized=True, paired=True,
                                      confidence_level=confidence, n_resamples=B,
                                      method="BCa", random_state=np.random.default_rng(100 + i))
                case["paired_bca"] = [float(res.confidence_interval.low),
                                      float(res.confidence_interval.high)]
                d = v - b
                se = np.std(d, ddof=1) / math.sqrt(len(d))
                q = t_ppf(1 - (1 - confidence) / 2, len(d) - 1)
                mb = np.mean(b)
                case["paired_t"] = [(np.mean(d) - q * se) / mb * 100, (np.mean(d) + q * se) / mb * 100]
                case["paired_p"] = float(stats.ttest_rel(v, b).pvalue)
            out.append(case)
    return out


def across(confidence=0.95):
    """Mean of difference and geometric mean over configurations, with
    percentile-bootstrap intervals resampling each configuration's two
    samples independently (what Summarize does), B resamples."""
    rng = np.random.default_rng(5)
    cfgs = [(name, b, v) for name, b, v, _ in datasets()]
    ratios = []
    for _, b, v in cfgs:
        mb = b[rng.integers(0, len(b), (B, len(b)))].mean(axis=1)
        mv = v[rng.integers(0, len(v), (B, len(v)))].mean(axis=1)
        ratios.append((mv / mb - 1) * 100)
    ratios = np.array(ratios)
    point = np.array([ratio_pct(b, v) for _, b, v in cfgs])
    alpha = (1 - confidence) / 2
    means = ratios.mean(axis=0)
    geos = np.expm1(np.log1p(ratios / 100).mean(axis=0)) * 100
    return {
        "keys": [name for name, _, _ in cfgs],
        "confidence": confidence,
        "mean": float(point.mean()),
        "mean_ci": np.percentile(means, [100 * alpha, 100 * (1 - alpha)]).tolist(),
        "geomean": float(np.expm1(np.log1p(point / 100).mean()) * 100),
        "geomean_ci": np.percentile(geos, [100 * alpha, 100 * (1 - alpha)]).tolist(),
    }


def p_adjust(p, method):
    """R's p.adjust, written out (scipy 1.10 has no false_discovery_control)."""
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    q = p[ok]
    n = len(q)
    if method == "holm":
        o = np.argsort(q, kind="stable")
        adj = np.minimum(1, np.maximum.accumulate((n - np.arange(n)) * q[o]))
    else:  # "BH"
        o = np.argsort(-q, kind="stable")
        i = np.arange(n, 0, -1)
        adj = np.minimum(1, np.minimum.accumulate(n / i * q[o]))
    r = np.empty(n)
    r[o] = adj
    out[ok] = r
    return out


def adjustments():
    rng = np.random.default_rng(7)
    sets = [
        [0.01, 0.02, 0.03, 0.04, 0.05],
        [0.04, 0.001, 0.5, 0.03, 0.03, 0.2, 1.0, 0.0001],  # ties and a 1
        list(np.concatenate([rng.uniform(0, 0.01, 10), rng.uniform(0, 1, 110)])),
    ]
    return [{"p": s, "holm": p_adjust(s, "holm").tolist(), "bh": p_adjust(s, "BH").tolist()} for s in sets]


def flags():
    rng = np.random.default_rng(11)
    out = []
    for name, xs in [
        ("normal", rng.normal(100, 5, 40)),
        ("bimodal", np.concatenate([rng.normal(90, 2, 20), rng.normal(110, 2, 20)])),
        ("drift", 100 + 0.3 * np.arange(40) + rng.normal(0, 2, 40)),
        ("ties", np.round(rng.normal(10, 1, 30))),
        ("outlier", np.concatenate([rng.normal(100, 2, 30), [160.0]])),
    ]:
        q1, q3 = np.percentile(xs, [25, 75])
        # The bimodality coefficient is taken inside Tukey's inner fences.
        iqr = q3 - q1
        inl = xs[(xs >= q1 - 1.5 * iqr) & (xs <= q3 + 1.5 * iqr)]
        n = len(inl)
        g = stats.skew(inl, bias=False)
        k = stats.kurtosis(inl, bias=False)
        bc = (g * g + 1) / (k + 3 * (n - 1) ** 2 / ((n - 2) * (n - 3)))
        tau = stats.kendalltau(np.arange(len(xs)), xs, method="asymptotic")
        out.append({"name": name, "values": xs.tolist(), "bimodality": float(bc),
                    "drift_p": float(tau.pvalue), "q1": float(q1), "q3": float(q3)})
    return out


json.dump({
    "generator": "make_reference.py",
    "scipy": scipy.__version__,
    "numpy": np.__version__,
    "resamples": B,
    "comparisons": comparisons(),
    "across": across(),
    "adjust": adjustments(),
    "flags": flags(),
}, sys.stdout, indent=1, allow_nan=True)
sys.stdout.write("\n")
