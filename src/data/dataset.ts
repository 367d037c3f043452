// A dataset S = ((x_i, y_i)) with exact rational points (THEORY.md section 1).
import type { Rational } from '../exact/rational.ts';
import { ScaledVec } from '../exact/vec.ts';

export type Label = 1 | -1;

export interface Dataset {
  readonly x: readonly ScaledVec[];
  readonly y: readonly Label[];
}

export function makeDataset(x: readonly (readonly Rational[])[], y: readonly Label[]): Dataset {
  return { x: x.map((row) => ScaledVec.fromRationals(row)), y: y.slice() };
}

export function dims(s: Dataset): { n: number; d: number } {
  return { n: s.x.length, d: s.x[0]?.dim ?? 0 };
}
