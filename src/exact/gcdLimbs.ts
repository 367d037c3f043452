// gcd of long BigInts by Lehmer steps in WebAssembly (src/exact/kernels.wat lehmerGcd) on
// 28-bit limbs: JS BigInt spends ~1.6 µs a step on four products and their allocations, the
// kernel a few limb operations. The limbs live in the memory's reserved bottom (wasm.ts
// GCD_BYTES), so a gcd inside a kernel's claim (a Rational formed mid-solve) disturbs nothing.
// Same gcd: every quotient the kernel applies is Euclid's (Knuth's test), the rest is BigInt.
import { GCD_BYTES, kernels } from './wasm.ts';
import { fromLimbs, toLimbs } from './hexLimbs.ts';

const CAP = 4096; // limbs a number (114 688 bits)
const HDR = 0; // la, lb (i32)
const A_AT = 16;
const B_AT = A_AT + 4 * CAP;
const TEXT = B_AT + 4 * CAP; // 7 CAP bytes
if (TEXT + 7 * CAP > GCD_BYTES) throw new RangeError('gcd limbs overrun their reserved space');

/**
 * Lehmer-reduces a >= b > 0 until b fits in two limbs (56 bits) and returns the pair, with
 * the same gcd; null when a is beyond the reserved space (the caller stays in BigInt).
 */
export function lehmerReduce(
  a: bigint,
  b: bigint,
  divide: (a: bigint, b: bigint) => [bigint, bigint],
): [bigint, bigint] | null {
  const k = kernels();
  for (;;) {
    const la = toLimbs(a, A_AT, TEXT, 7 * CAP);
    if (la < 0) return null;
    const lb = toLimbs(b, B_AT, TEXT, 7 * CAP);
    const lens = new Int32Array(k.mem.buffer, HDR, 2);
    lens[0] = la;
    lens[1] = lb;
    const status = k.lehmerGcd(HDR, A_AT, B_AT);
    a = fromLimbs(A_AT, lens[0]!, TEXT);
    b = fromLimbs(B_AT, lens[1]!, TEXT);
    if (status === 0) return [a, b];
    [a, b] = divide(a, b); // a quotient too large for one step: one BigInt division
  }
}
