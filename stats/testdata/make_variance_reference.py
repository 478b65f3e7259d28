#!/usr/bin/python3
"""Reference values for stats.SplitVariance, computed with scipy/numpy.

Run from this directory:  /usr/bin/python3 make_variance_reference.py > variance_reference.json
The F statistic and p-value come from scipy.stats.f_oneway; the variance
components are the textbook one-way random-effects ANOVA estimates
(method of moments, clamped at 0), computed here independently of the Go code.
"""
import json

import numpy as np
from scipy import stats


def components(groups):
    n = sum(len(g) for g in groups)
    k = len(groups)
    grand = np.concatenate(groups).mean()
    ssw = sum(((g - g.mean()) ** 2).sum() for g in groups)
    ssb = sum(len(g) * (g.mean() - grand) ** 2 for g in groups)
    msw, msb = ssw / (n - k), ssb / (k - 1)
    n0 = (n - sum(len(g) ** 2 for g in groups) / n) / (k - 1)
    between = max(0.0, (msb - msw) / n0)
    return float(np.sqrt(msw)), float(np.sqrt(between))


def main():
    rng = np.random.default_rng(7)
    cases = []
    specs = [
        ("process_effect", [rng.normal(100 + off, 1, 4) for off in rng.normal(0, 3, 10)]),
        ("no_effect", [rng.normal(100, 2, 3) for _ in range(8)]),
        ("unequal_groups", [rng.normal(50 + off, 1, m) for off, m in zip(rng.normal(0, 1, 6), [2, 3, 5, 2, 4, 6])]),
    ]
    for name, groups in specs:
        f, p = stats.f_oneway(*groups)
        within, between = components(groups)
        values, process = [], []
        for i, g in enumerate(groups):
            values += [float(x) for x in g]
            process += [i + 1] * len(g)
        cases.append({"name": name, "values": values, "process": process,
                      "f": float(f), "p": float(p), "within_sd": within, "between_sd": between})
    json.dump(cases, __import__("sys").stdout, indent=1)


main()
