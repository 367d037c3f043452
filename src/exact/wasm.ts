// The WebAssembly kernels (src/exact/kernels/*.wat, one module, bytes in kernelsWasm.ts) and
// the one memory they work in. JS has no 64-bit popcount, no SIMD and no long-integer
// arithmetic without an allocation per operation; the kernels' exactness arguments are the JS
// ones (every partial sum of doubles an integer below 2^53, every quotient Euclid's).
// A caller claims its arrays' space, writes its inputs through the views and calls the
// kernels with byte offsets; the space and the views hold until the next claim (growing the
// memory detaches older views), so a caller claims once and finishes before handing control
// to code that may claim (the exact engine is synchronous). Claimed space holds whatever
// earlier claims left there: a kernel's output is only what it writes.
import { KERNELS_WASM } from './kernelsWasm.ts';

interface Kernels {
  readonly mem: WebAssembly.Memory;
  packSigns(src: number, n: number, d: number, Z: number, S: number): number;
  signGram(Z: number, S: number, n: number, d: number, zeros: number, out: number): void;
  solveModP(T: number, perm: number, n: number, p: number, r: number, out: number): void;
  liftSteps(
    T: number,
    perm: number,
    A: number,
    n: number,
    p: number,
    rf: number,
    rm: number,
    x: number,
    steps: number,
  ): void;
  luModP(T: number, perm: number, n: number, p: number): number;
  floatSolve(T: number, n: number, z: number): number;
  lemkePivot(T: number, n: number, W: number, r: number, c: number): void;
  lehmerGcd(hdr: number, A: number, B: number): number;
  lehmerHalf(hdr: number, R0: number, R1: number, T0: number, T1: number, S0: number, S1: number, h: number): number;
  hexToLimbs(src: number, nchars: number, out: number): number;
  limbsToHex(src: number, n: number, out: number): number;
  digitsToLimbs(D: number, n: number, i: number, s: number, len: number, p: number, out: number): number;
}

/** N numbers: the byte offsets of a claim's N arrays. */
type Offsets<N extends number, T extends number[] = []> = T['length'] extends N ? T : Offsets<N, [...T, number]>;

/** A claim: byte offsets of the arrays asked for (16-byte aligned) and views of the memory. */
export interface Claim<N extends number> {
  readonly k: Kernels;
  readonly at: Offsets<N>;
  readonly f64: Float64Array;
  readonly i32: Int32Array;
}

const PAGE = 65536;
/** The bottom of the memory belongs to Lehmer's steps (src/exact/lehmer.ts), which run inside claims. */
export const GCD_BYTES = 65536;
let instance: Kernels | null = null;

export function kernels(): Kernels {
  instance ??= new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(KERNELS_WASM, 'base64')))
    .exports as unknown as Kernels;
  return instance;
}

/** Space for arrays of the given byte lengths, laid out one after another from GCD_BYTES on. */
export function claim<const B extends readonly number[]>(bytes: B): Claim<B['length']> {
  const k = kernels();
  const at: number[] = [];
  let end = GCD_BYTES;
  for (const b of bytes) {
    at.push(end);
    end += Math.ceil(b / 16) * 16;
  }
  const have = k.mem.buffer.byteLength;
  if (end > have) k.mem.grow(Math.ceil((end - have) / PAGE));
  const buf = k.mem.buffer;
  return { k, at: at as Offsets<B['length']>, f64: new Float64Array(buf), i32: new Int32Array(buf) };
}
