// Lehmer steps on long BigInts in WebAssembly (src/exact/kernels/lehmer.wat lehmerGcd, lehmerHalf) on
// 28-bit limbs, for gcd (rational.ts) and Wang's rational reconstruction (dixon.ts): JS BigInt
// spends ~1.6 µs a step on four products and their allocations, the kernels a few limb
// operations. The limbs live in the memory's reserved bottom (wasm.ts GCD_BYTES), so a gcd
// inside a kernel's claim (a Rational formed mid-solve) disturbs nothing. Same results: every
// quotient the kernels apply is Euclid's (Knuth's test); the rest runs in BigInt.
import { GCD_BYTES, kernels } from './wasm.ts';
import { fromLimbs, toLimbs } from './hexLimbs.ts';

const CAP = 2048; // limbs a number (57 344 bits)
const HDR = 0; // five i32: lengths of the numbers, then a parity
/** The byte offset of number slot k (CAP limbs each, after the header). */
const slot = (k: number) => 32 + 4 * CAP * k;
const [R0, R1, T0, T1, S0, S1] = [slot(0), slot(1), slot(2), slot(3), slot(4), slot(5)];
const TEXT = slot(6); // 7 CAP bytes
if (TEXT + 7 * CAP > GCD_BYTES) throw new RangeError('Lehmer limbs overrun their reserved space');

function put(v: bigint, at: number): number {
  return toLimbs(v, at, TEXT, 7 * CAP);
}

/** gcd(a, b) for a >= b > 0; null when a is beyond the reserved space (the caller stays in BigInt). */
export function lehmerGcd(a: bigint, b: bigint): bigint | null {
  const k = kernels();
  for (;;) {
    const la = put(a, R0);
    if (la < 0) return null;
    const lens = new Int32Array(k.mem.buffer, HDR, 2);
    lens[0] = la;
    lens[1] = put(b, R1);
    if (k.lehmerGcd(HDR, R0, R1) === 0) return new BigInt64Array(k.mem.buffer, HDR + 8, 1)[0]!;
    a = fromLimbs(R0, lens[0]!, TEXT);
    b = fromLimbs(R1, lens[1]!, TEXT);
    [a, b] = [b, a % b]; // a quotient too large for one step: one BigInt division
    if (b === 0n) return a;
  }
}

/**
 * Extended Euclid from (r0, r1; t0, t1) (r0 > r1, t0 and t1 of opposite signs or t0 = 0, as
 * along Euclid from t = (0, 1)) while r1 > 2^h, in Lehmer steps: the state at Euclid's
 * first r1 <= 2^h, or an earlier one from which single quotients reach it; null when r0 is
 * beyond the reserved space.
 */
export function lehmerHalf(
  r0: bigint,
  r1: bigint,
  t0: bigint,
  t1: bigint,
  h: number,
): [bigint, bigint, bigint, bigint] | null {
  const k = kernels();
  for (;;) {
    const l0 = put(r0, R0);
    if (l0 < 0) return null;
    const hdr = new Int32Array(k.mem.buffer, HDR, 5);
    hdr.set([l0, put(r1, R1), put(t0 < 0n ? -t0 : t0, T0), put(t1 < 0n ? -t1 : t1, T1), 0]);
    const status = k.lehmerHalf(HDR, R0, R1, T0, T1, S0, S1, h);
    // t1's sign flips with each quotient; t0 holds the opposite sign
    const sign = (t1 < 0n ? -1n : 1n) * (hdr[4]! & 1 ? -1n : 1n);
    r0 = fromLimbs(R0, hdr[0]!, TEXT);
    r1 = fromLimbs(R1, hdr[1]!, TEXT);
    t0 = -sign * fromLimbs(T0, hdr[2]!, TEXT);
    t1 = sign * fromLimbs(T1, hdr[3]!, TEXT);
    if (status !== 1 || r1 <= 1n << BigInt(h)) return [r0, r1, t0, t1];
    const q = r0 / r1; // a quotient too large for one step: one BigInt division
    [r0, r1, t0, t1] = [r1, r0 - q * r1, t1, t0 - q * t1];
    if (r1 <= 1n << BigInt(h)) return [r0, r1, t0, t1];
  }
}
