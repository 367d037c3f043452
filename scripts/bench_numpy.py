#!/usr/bin/env python3
# The float64 pipeline a user would write instead of the exact one (issue 12 item 6): the
# same work as the exact linear runCase on a case@1 file with theta null and a kappa step
# (max-margin on S, certificate before, GA, certificate after, inherited residual, max-margin
# on R, closeness). The Gram matrix by BLAS once; every nonnegative QP
#   min 1/2 z'Hz - f'z  (z >= 0)
# by Cholesky: the all-active solve H z = f when it is positive, else NNLS on the factor
# (min ||L'z - L^-1 f||, scipy.optimize.nnls). One factorization per matrix (S and R).
#   python3 scripts/bench_numpy.py CASE.json          one run, prints the summary (a whole process)
#   python3 scripts/bench_numpy.py --serve            reads a case path per line, runs it once,
#                                                     prints {"ms":..., ...} (bench-numpy.ts)
# Run with OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 (one BLAS thread).
import json
import sys
import time
from fractions import Fraction

import numpy as np
from scipy.linalg import cho_factor, cho_solve, solve_triangular
from scipy.optimize import nnls


def load(path):
    with open(path) as fh:
        o = json.load(fh)
    if o.get('model', {}).get('kind') != 'linear' or o.get('theta') is not None:
        raise SystemExit('bench_numpy.py: linear cases with theta null only')
    try:
        X = np.array(o['x'], dtype=np.float64)
    except ValueError:  # fractions such as "1/3"
        X = np.array([[float(Fraction(v)) for v in row] for row in o['x']], dtype=np.float64)
    y = np.array(o['y'], dtype=np.float64)
    kappa = float(Fraction(str(o.get('step', {}).get('kappa', '1'))))
    return X, y, list(o['forget']), kappa


def factor(H):
    try:
        return cho_factor(H, lower=True, check_finite=False)
    except np.linalg.LinAlgError:
        return None


def nonneg_qp(H, cf, f):
    """argmin 1/2 z'Hz - f'z over z >= 0."""
    if cf is not None:
        z = cho_solve(cf, f, check_finite=False)
        if np.all(z >= 0):
            return z
        L = np.tril(cf[0])
    else:  # rank-deficient H: a square root by eigenvalues
        w, V = np.linalg.eigh(H)
        w = np.clip(w, 0, None)
        L = V * np.sqrt(w)
        z, _ = nnls(L.T, np.linalg.lstsq(L, f, rcond=None)[0])
        return z
    z, _ = nnls(L.T, solve_triangular(L, f, lower=True, check_finite=False))
    return z


def pipeline(X, y, forget, kappa):
    n = X.shape[0]
    G = X @ X.T  # BLAS, once
    Ys = np.outer(y, y)
    Gs = Ys * G
    cfS = factor(Gs)
    ones = np.ones(n)
    # max-margin on S: w = sum lam_i y_i x_i, kept as coefficients on the data (as the exact code does)
    lam = nonneg_qp(Gs, cfS, ones)
    coef = lam * y
    pre = G @ coef
    q = y * pre
    # certificate before: argmin ||w - sum lam_a y_a x_a||^2 over lam >= 0
    before = nonneg_qp(Gs, cfS, q)
    # GA step, kappa lambda_r
    ct = coef.copy()
    for r in forget:
        ct[r] -= kappa * before[r] * y[r]
    pre_t = G @ ct
    norm_t = ct @ pre_t
    R = np.array([i for i in range(n) if i not in set(forget)])
    GsR = Gs[np.ix_(R, R)]
    cfR = factor(GsR)
    qR = y[R] * pre_t[R]
    after = nonneg_qp(GsR, cfR, qR)
    eps2 = norm_t - 2 * after @ qR + after @ GsR @ after
    lam_in = before[R]
    eps2_inherited = norm_t - 2 * lam_in @ qR + lam_in @ GsR @ lam_in
    # max-margin on R and the closeness of the unlearned model to it
    star = nonneg_qp(GsR, cfR, np.ones(len(R)))
    cs = np.zeros(n)
    cs[R] = star * y[R]
    diff = ct - cs
    dist2 = diff @ G @ diff
    return {
        'epsilon2': float(eps2),
        'delta': float(max(0.0, np.max(after * (qR - 1)))),
        'tau': float(max(0.0, np.max(1 - qR))),
        'dist2': float(dist2),
        'epsilon2_inherited': float(eps2_inherited),
    }


def main():
    if sys.argv[1:] == ['--serve']:
        cache = {}
        for line in sys.stdin:
            path = line.strip()
            if not path:
                continue
            if path not in cache:
                cache.clear()
                cache[path] = load(path)
            t0 = time.perf_counter()
            out = pipeline(*cache[path])
            ms = (time.perf_counter() - t0) * 1000
            print(json.dumps({'ms': ms, **out}), flush=True)
        return
    if len(sys.argv) != 2:
        raise SystemExit('usage: bench_numpy.py CASE.json | --serve')
    print(json.dumps(pipeline(*load(sys.argv[1]))))


if __name__ == '__main__':
    main()
