// Small dense float64 helpers: dot products, Gram matrices, Cholesky.

export type Vec = ArrayLike<number>;

export function dot(a: Vec, b: Vec): number {
  let s = 0;
  const d = a.length;
  for (let t = 0; t < d; t++) s += a[t]! * b[t]!;
  return s;
}

/** Σ_t |a_t b_t|: the scale of the rounding error of dot(a, b). */
export function absDot(a: Vec, b: Vec): number {
  let s = 0;
  const d = a.length;
  for (let t = 0; t < d; t++) s += Math.abs(a[t]! * b[t]!);
  return s;
}

/**
 * A relative tolerance under which a computed dot product of length d cannot be told from 0:
 * |fl(<a,b>) - <a,b>| <= γ Σ|a_t b_t| with γ ≈ d u, plus the rounding of the inputs themselves
 * (rationals converted to doubles); doubled for safety.
 */
export function roundingTol(d: number): number {
  return 4 * (d + 2) * 2 ** -53;
}

export function norm2(a: Vec): number {
  return dot(a, a);
}

/** Row-major n×n Gram matrix G_ik = <x_i, x_k>. */
export function gram(X: readonly Vec[]): Float64Array {
  const n = X.length;
  const G = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = i; k < n; k++) {
      const g = dot(X[i]!, X[k]!);
      G[i * n + k] = g;
      G[k * n + i] = g;
    }
  }
  return G;
}

/**
 * In-place Cholesky factorization (lower triangle) of the row-major n×n SPD matrix A.
 * Returns false when a pivot is not safely positive (relative to the largest diagonal entry).
 */
export function cholesky(A: Float64Array, n: number, relPivot = 1e-13): boolean {
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, Math.abs(A[i * n + i]!));
  if (!(maxDiag > 0)) return n === 0;
  for (let j = 0; j < n; j++) {
    let s = A[j * n + j]!;
    for (let k = 0; k < j; k++) s -= A[j * n + k]! * A[j * n + k]!;
    if (!(s > relPivot * maxDiag)) return false;
    const ljj = Math.sqrt(s);
    A[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let t = A[i * n + j]!;
      for (let k = 0; k < j; k++) t -= A[i * n + k]! * A[j * n + k]!;
      A[i * n + j] = t / ljj;
    }
  }
  return true;
}

/** Solves L Lᵀ x = b with the factor from `cholesky`; returns x (b untouched). */
export function cholSolve(L: Float64Array, n: number, b: Vec): Float64Array {
  const x = Float64Array.from({ length: n }, (_, i) => b[i]!);
  for (let i = 0; i < n; i++) {
    let s = x[i]!;
    for (let k = 0; k < i; k++) s -= L[i * n + k]! * x[k]!;
    x[i] = s / L[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * x[k]!;
    x[i] = s / L[i * n + i]!;
  }
  return x;
}

/** Solves the SPD system A x = b (A row-major n×n, not modified); null when not safely SPD. */
export function solveSPD(A: Float64Array, n: number, b: Vec): Float64Array | null {
  const L = Float64Array.from(A);
  if (!cholesky(L, n)) return null;
  return cholSolve(L, n, b);
}

/** Largest eigenvalue estimate of a symmetric PSD row-major matrix (power iteration). */
export function maxEig(A: Float64Array, n: number, iters = 200): number {
  if (n === 0) return 0;
  let x = new Float64Array(n).fill(1 / Math.sqrt(n));
  for (let i = 0; i < n; i++) x[i] = x[i]! * (1 + 0.01 * Math.sin(i + 1));
  let lam = 0;
  const y = new Float64Array(n);
  for (let it = 0; it < iters; it++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += A[i * n + k]! * x[k]!;
      y[i] = s;
    }
    let nrm = 0;
    for (let i = 0; i < n; i++) nrm += y[i]! * y[i]!;
    nrm = Math.sqrt(nrm);
    if (!(nrm > 0)) return 0;
    lam = nrm;
    for (let i = 0; i < n; i++) y[i] = y[i]! / nrm;
    const t = x;
    x = Float64Array.from(y);
    y.set(t);
  }
  // Gershgorin is a guaranteed upper bound; never report more than it
  let gersh = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += Math.abs(A[i * n + k]!);
    gersh = Math.max(gersh, s);
  }
  return Math.min(gersh, lam);
}

/**
 * Symmetric eigendecomposition by cyclic Jacobi rotations: A = V diag(values) Vᵀ.
 * A is row-major n×n (not modified); vectors are the columns of V (row-major).
 */
export function symEig(A: Float64Array, n: number): { values: Float64Array; V: Float64Array } {
  const a = Float64Array.from(A);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let tot = 0;
    for (let p = 0; p < n; p++) {
      for (let q = 0; q < n; q++) {
        const x = a[p * n + q]! * a[p * n + q]!;
        tot += x;
        if (p !== q) off += x;
      }
    }
    if (off <= 1e-32 * tot || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p]!;
          const vkq = V[k * n + q]!;
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i]!;
  return { values, V };
}

/**
 * The least-norm least-squares solution of the symmetric PSD system A x = b (pseudo-inverse,
 * eigenvalues below relTol * max dropped).
 */
export function minNormSolvePSD(A: Float64Array, n: number, b: Vec, relTol = 1e-11): Float64Array {
  const { values, V } = symEig(A, n);
  let mx = 0;
  for (let i = 0; i < n; i++) mx = Math.max(mx, Math.abs(values[i]!));
  const x = new Float64Array(n);
  for (let e = 0; e < n; e++) {
    const ev = values[e]!;
    if (!(ev > relTol * mx)) continue;
    let c = 0;
    for (let k = 0; k < n; k++) c += V[k * n + e]! * b[k]!;
    c /= ev;
    for (let k = 0; k < n; k++) x[k] = x[k]! + c * V[k * n + e]!;
  }
  return x;
}

/**
 * Dense simplex (Bland's rule) for max cᵀx s.t. A x <= b, x >= 0, with b >= 0 (the origin is
 * feasible). Returns the optimal x, or null if unbounded or out of iterations.
 */
export function maximizeLP(
  A: readonly (readonly number[])[],
  b: readonly number[],
  c: readonly number[],
): number[] | null {
  const mc = A.length;
  const nx = c.length;
  const w = nx + mc + 1;
  const T = Array.from({ length: mc + 1 }, () => new Float64Array(w));
  for (let i = 0; i < mc; i++) {
    for (let j = 0; j < nx; j++) T[i]![j] = A[i]![j]!;
    T[i]![nx + i] = 1;
    T[i]![w - 1] = Math.max(0, b[i]!);
  }
  for (let j = 0; j < nx; j++) T[mc]![j] = -c[j]!;
  const basis = Array.from({ length: mc }, (_, i) => nx + i);
  let scale = 0;
  for (const row of A) for (const a of row) scale = Math.max(scale, Math.abs(a));
  const eps = 1e-12 * Math.max(scale, 1);
  for (let it = 0; it < 50_000; it++) {
    let enter = -1;
    for (let j = 0; j < w - 1; j++) {
      if (T[mc]![j]! < -eps) {
        enter = j;
        break;
      }
    }
    if (enter < 0) {
      const x = new Array<number>(nx).fill(0);
      basis.forEach((v, i) => {
        if (v < nx) x[v] = T[i]![w - 1]!;
      });
      return x;
    }
    let leave = -1;
    let best = Infinity;
    for (let i = 0; i < mc; i++) {
      const a = T[i]![enter]!;
      if (a <= eps) continue;
      const ratio = T[i]![w - 1]! / a;
      const tie = leave >= 0 && Math.abs(ratio - best) <= 1e-15 * Math.max(Math.abs(best), 1e-300);
      if (leave < 0 || (!tie && ratio < best) || (tie && basis[i]! < basis[leave]!)) {
        best = ratio;
        leave = i;
      }
    }
    if (leave < 0) return null;
    const pr = T[leave]!;
    const pv = pr[enter]!;
    for (let j = 0; j < w; j++) pr[j] = pr[j]! / pv;
    for (let i = 0; i <= mc; i++) {
      if (i === leave) continue;
      const row = T[i]!;
      const f = row[enter]!;
      if (f === 0) continue;
      for (let j = 0; j < w; j++) row[j] = row[j]! - f * pr[j]!;
    }
    basis[leave] = enter;
  }
  return null;
}
