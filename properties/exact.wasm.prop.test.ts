// The WebAssembly kernels (src/exact/kernels/*.wat) against BigInt arithmetic written here:
// (1) the committed bytes are the .wat's (npm run wasm), (2) solveModP solves the LU's
// system mod p on luModP's factors, (3) liftSteps(…, 1) is one exact lifting step, at
// residuals up to its bound 2^52 and sizes off the four-lane stride, (4) floatSolve, the
// float guess of allActive, decides as scalar partial-pivoting elimination written here
// (same floats), (5) lemkePivot, float Lemke's pivot, = the sparse scalar pivot (same floats
// up to zeros' signs). The sign Gram's kernels are checked through gram() by exact.hints
// (4b), Lehmer's through gcd and reconstruct by exact.fastpaths (3) and exact.dixon, and
// dixonSolve's results by exact.dixon.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { kernelsModule } from '../scripts/wasm.ts';
import { claim } from '../src/exact/wasm.ts';
import { luModP, luPrime } from '../src/exact/luModP.ts';
import { allActive } from '../src/exact/activeSet.ts';
import { mulberry32 } from '../src/float/prng.ts';
import { params, tally } from './support.ts';

const mod = (v: bigint, p: bigint) => ((v % p) + p) % p;

it('(1) src/exact/kernelsWasm.ts is compiled from src/exact/kernels/*.wat (npm run wasm)', async () => {
  const committed = readFileSync(new URL('../src/exact/kernelsWasm.ts', import.meta.url), 'utf8');
  expect(committed).toBe(await kernelsModule());
});

/** A random n × n integer matrix with |entries| < 2^bits, nonsingular mod p, with its LU. */
function system(n: number, bits: number, seed: number) {
  const rand = mulberry32(seed);
  const p = luPrime(seed % 3);
  for (;;) {
    const A = Float64Array.from({ length: n * n }, () => Math.floor((rand() * 2 - 1) * 2 ** bits));
    const lu = luModP(
      A.map((v) => ((v % p) + p) % p),
      n,
      p,
    );
    if (lu) return { A, lu, p, rand };
  }
}

/** The kernels' memory laid out for a lifting step: T, perm, A, rf, rm, x. */
function load(n: number, A: Float64Array, lu: { T: Float64Array; perm: Int32Array }) {
  const c = claim([8 * n * n, 4 * n, 8 * n * n, 8 * n, 8 * n, 8 * n]);
  const [T, perm, Aw] = c.at;
  c.f64.set(lu.T, T / 8);
  c.i32.set(lu.perm, perm / 4);
  c.f64.set(A, Aw / 8);
  const view = (k: number) => c.f64.subarray(c.at[k]! / 8, c.at[k]! / 8 + n);
  return { ...c, rf: view(3), rm: view(4), x: view(5) };
}

/** (A x)_i over the integers. */
const row = (A: Float64Array, n: number, i: number, x: ArrayLike<number>) => {
  let s = 0n;
  for (let j = 0; j < n; j++) s += BigInt(A[i * n + j]!) * BigInt(x[j]!);
  return s;
};

describe('(2, 3) the lifting kernels = BigInt arithmetic', () => {
  const stat = tally('exact.wasm.lift');
  test.prop([fc.integer({ min: 1, max: 13 }), fc.integer({ min: 0, max: 10_000 })], params(150))(
    'solveModP: A x ≡ r (mod p); one liftSteps step: rm = rf mod p, A x ≡ rm, rf ← (rf - A x) / p exactly',
    (n, seed) => {
      const bits = 1 + (seed % 12);
      const { A, lu, p, rand } = system(n, bits, seed);
      const P = BigInt(p);
      const m = load(n, A, lu);
      // (2) a residue vector, with 0 and p - 1 among the draws
      m.rm.set(Array.from({ length: n }, (_, i) => (i === 0 ? p - 1 : i === 1 ? 0 : Math.floor(rand() * p))));
      const r = Array.from(m.rm, BigInt);
      m.k.solveModP(m.at[0], m.at[1], n, p, m.at[4], m.at[5]);
      for (let i = 0; i < n; i++) {
        expect(m.x[i]! >= 0 && m.x[i]! < p && Number.isInteger(m.x[i]!)).toBe(true);
        expect(mod(row(A, n, i, m.x) - r[i]!, P)).toBe(0n);
      }
      // (3) the step's bound: |rf| <= 2^52 and n max|A| (p - 1) < 2^52 (bits <= 12, n <= 13)
      const top = 2 ** 52;
      m.rf.set(
        Array.from({ length: n }, (_, i) =>
          i === 0
            ? top
            : i === 1
              ? -top
              : i === 2
                ? p * (2 ** 32 - 1) // s · (1/p) rounds below s / p for the second prime: reduce's upper fix-up
                : Math.floor((rand() * 2 - 1) * top),
        ),
      );
      const rf = Array.from(m.rf, BigInt);
      m.k.liftSteps(m.at[0], m.at[1], m.at[2], n, p, m.at[3], m.at[4], m.at[5], 1);
      for (let i = 0; i < n; i++) {
        expect(BigInt(m.rm[i]!)).toBe(mod(rf[i]!, P));
        const rest = rf[i]! - row(A, n, i, m.x);
        expect(mod(rest, P)).toBe(0n);
        expect(BigInt(m.rf[i]!)).toBe(rest / P);
      }
      stat('run');
      stat('n off the four-lane stride', n % 4 !== 0);
    },
  );
});

/** z with M z = -q by scalar Gaussian elimination with partial pivoting, null at a zero pivot (floatSolve's spec). */
function solveScalar(M: readonly (readonly number[])[], q: readonly number[]): number[] | null {
  const n = q.length;
  const T = M.map((row, i) => [...row, -q[i]!]);
  for (let c = 0; c < n; c++) {
    let r = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(T[i]![c]!) > Math.abs(T[r]![c]!)) r = i;
    if (!(Math.abs(T[r]![c]!) > 0)) return null;
    [T[r], T[c]] = [T[c]!, T[r]!];
    for (let i = c + 1; i < n; i++) {
      const f = T[i]![c]! * (1 / T[c]![c]!);
      if (f !== 0) for (let j = c; j <= n; j++) T[i]![j] = T[i]![j]! - f * T[c]![j]!;
    }
  }
  const z: number[] = new Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = T[i]![n]!;
    for (let j = i + 1; j < n; j++) s -= T[i]![j]! * z[j]!;
    z[i] = s / T[i]![i]!;
  }
  return z;
}

describe('(4) floatSolve = scalar elimination, float for float', () => {
  const stat = tally('exact.wasm.floatSolve');
  test.prop([fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 10_000 })], params(200))(
    'z and allActive(M, q) on Gram-like, random and singular M',
    (n, seed) => {
      const rand = mulberry32(seed);
      const kind = seed % 3; // 0: diagonally dominant Gram-like, 1: random, 2: two equal rows
      const M = Array.from({ length: n }, (_, i) =>
        Array.from({ length: n }, (_, j) => (kind === 0 && i === j ? 8 + n : (rand() * 2 - 1) * 4)),
      );
      if (kind === 2 && n >= 2) M[1] = [...M[0]!];
      const q = Array.from({ length: n }, () => (kind === 1 ? (rand() * 2 - 1) * 3 : -1));
      const want = solveScalar(M, q);
      const { k, at, f64 } = claim([8 * n * (n + 1), 8 * n]);
      M.forEach((row, i) => f64.set([...row, -q[i]!], at[0] / 8 + i * (n + 1)));
      const ok = k.floatSolve(at[0], n, at[1]);
      expect(ok === 1).toBe(want !== null);
      if (want) expect(Array.from(f64.subarray(at[1] / 8, at[1] / 8 + n))).toEqual(want);
      const zMax = Math.max(0, ...(want ?? []).map(Math.abs));
      expect(allActive(M, q)).toBe(want !== null && want.every((v) => v > 1e-9 * zMax));
      stat('run');
      stat(want ? 'solved' : 'zero pivot');
    },
  );
});

describe('(5) lemkePivot = the sparse scalar pivot', () => {
  const stat = tally('exact.wasm.lemkePivot');
  test.prop([fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 10_000 })], params(200))(
    'every entry equal (===) after a pivot at a random nonzero entry, with zeros in the pivot row',
    (n, seed) => {
      const rand = mulberry32(seed);
      const W = 2 * n + 2;
      const T0 = Float64Array.from({ length: n * W }, () => (rand() < 0.3 ? 0 : (rand() * 2 - 1) * 10));
      const r = Math.floor(rand() * n);
      const c = Math.floor(rand() * W);
      if (T0[r * W + c] === 0) T0[r * W + c] = 1.5;
      // the scalar pivot: only the pivot row's nonzero columns change other rows
      const want = T0.slice();
      const inv = 1 / want[r * W + c]!;
      for (let j = 0; j < W; j++) want[r * W + j] = want[r * W + j]! * inv;
      for (let i = 0; i < n; i++) {
        const f = want[i * W + c]!;
        if (i === r || f === 0) continue;
        for (let j = 0; j < W; j++)
          if (want[r * W + j] !== 0) want[i * W + j] = want[i * W + j]! - f * want[r * W + j]!;
      }
      const { k, at, f64 } = claim([8 * n * W]);
      f64.set(T0, at[0] / 8);
      k.lemkePivot(at[0], n, W, r, c);
      const got = f64.subarray(at[0] / 8, at[0] / 8 + n * W);
      for (let j = 0; j < n * W; j++) expect(got[j] === want[j]).toBe(true);
      stat('run');
    },
  );
});
