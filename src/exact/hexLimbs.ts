// Long nonnegative BigInts to and from 28-bit limbs (i32 slots, little-endian) in the kernels'
// memory, through hex text: V8 prints and parses hex natively in linear time, and the kernels
// (src/exact/kernels/limbs.wat hexToLimbs, limbsToHex) turn the text into limbs and back, where a
// JS loop over the digits or the limbs costs a BigInt operation each.
import { kernels } from './wasm.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
let bytes = new Uint8Array(0); // the whole memory, renewed when it grows

function memory(): Uint8Array {
  const buffer = kernels().mem.buffer;
  if (bytes.buffer !== buffer) bytes = new Uint8Array(buffer);
  return bytes;
}

/** v >= 0 as limbs at `at`, staged as text at `text` (room for maxChars bytes): the limb count, or -1 when v is longer. */
export function toLimbs(v: bigint, at: number, text: number, maxChars: number): number {
  const h = v.toString(16);
  if (h.length > maxChars) return -1;
  encoder.encodeInto(h, memory().subarray(text, text + h.length));
  return kernels().hexToLimbs(text, h.length, at);
}

/** The number held by the n limbs at `at` (its text staged at `text`: room for 7 n bytes). */
export function fromLimbs(at: number, n: number, text: number): bigint {
  const len = kernels().limbsToHex(at, n, text);
  return BigInt('0x' + decoder.decode(memory().subarray(text, text + len)));
}
