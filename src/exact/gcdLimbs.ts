// gcd of long BigInts by Lehmer steps in WebAssembly (src/exact/kernels.wat lehmerGcd) on
// 28-bit limbs: JS BigInt spends ~1.6 µs a step on four products and their allocations, the
// kernel a few limb operations. The limbs live in the memory's reserved bottom (wasm.ts
// GCD_BYTES), so a gcd inside a kernel's claim (a Rational formed mid-solve) disturbs nothing.
// Same gcd: every quotient the kernel applies is Euclid's (Knuth's test), the rest is BigInt.
import { GCD_BYTES, kernels } from './wasm.ts';

const HDR = 0; // la, lb (i32)
const A_AT = 16;
const CAP = (GCD_BYTES - A_AT) / 8; // limbs per number
const B_AT = A_AT + 4 * CAP;
const HEX = 7; // hex digits a limb

/** v's limbs from `at` on, and their count; -1 when v is beyond the reserved space. */
function write(v: bigint, at: number, i32: Int32Array): number {
  const h = v.toString(16);
  if (h.length > HEX * CAP) return -1;
  let n = 0;
  for (let end = h.length; end > 0; end -= HEX) i32[at / 4 + n++] = parseInt(h.slice(Math.max(0, end - HEX), end), 16);
  return n;
}

function read(at: number, len: number, i32: Int32Array): bigint {
  if (len === 0) return 0n;
  let h = i32[at / 4 + len - 1]!.toString(16);
  for (let j = len - 2; j >= 0; j--) h += i32[at / 4 + j]!.toString(16).padStart(HEX, '0');
  return BigInt('0x' + h);
}

/**
 * Lehmer-reduces a >= b > 0 until b fits in two limbs (56 bits) and returns the pair, with
 * the same gcd; null when either is beyond the reserved space (the caller stays in BigInt).
 */
export function lehmerReduce(
  a: bigint,
  b: bigint,
  divide: (a: bigint, b: bigint) => [bigint, bigint],
): [bigint, bigint] | null {
  const k = kernels();
  const i32 = new Int32Array(k.mem.buffer, 0, GCD_BYTES / 4);
  for (;;) {
    i32[HDR / 4] = write(a, A_AT, i32);
    if (i32[HDR / 4]! < 0) return null;
    i32[HDR / 4 + 1] = write(b, B_AT, i32);
    const status = k.lehmerGcd(HDR, A_AT, B_AT);
    a = read(A_AT, i32[HDR / 4]!, i32);
    b = read(B_AT, i32[HDR / 4 + 1]!, i32);
    if (status === 0) return [a, b];
    [a, b] = divide(a, b); // a quotient too large for one step: one BigInt division
  }
}
