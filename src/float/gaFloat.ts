// The float64 implementation of a FORMAT.md case@1 -> result@1 (the fast subject under test).

import { InputError, shown } from '../errors.ts';
import { certificateFloat } from './certificateFloat.ts';
import { dot, gram, roundingTol } from './linalg.ts';
import { gaStepLinear, maxMarginFloat, type GaStep } from './linearFloat.ts';
import type { Loss } from './loss.ts';
import { gaStepRelu2, patternByRounding, preActivations } from './relu2Float.ts';
import { exactDotSign, integerRow, parseRationalFloat, rationalParts } from './parse.ts';

export interface FloatCase {
  model: { kind: 'linear' } | { kind: 'relu2'; v: number[] };
  x: number[][];
  y: number[];
  theta: number[] | number[][] | null;
  forget: number[];
  step: { kappa: number } | { beta: number; loss: Loss };
  gradient: 'autodiff' | 'clarke';
  /** The case's own x and theta entries (relu2), for exact sign tests near kinks. */
  raw?: { x: readonly (readonly unknown[])[]; theta: readonly (readonly unknown[])[] };
}

export interface FloatResult {
  format: 'unlearn-kkt/result@1';
  theta_after: number[] | number[][];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseRow(v: unknown, where: string, len: number | null): number[] {
  if (!Array.isArray(v)) throw new InputError(`${where} is not an array`);
  if (len !== null && v.length !== len) throw new InputError(`${where} has ${v.length} entries, expected ${len}`);
  return v.map((e, k) => parseRationalFloat(e, `${where}[${k}]`));
}

/** Validates and reads a case@1 object (already JSON-parsed) into doubles. */
function parseCaseFloat(c: unknown): FloatCase {
  if (!isObject(c)) throw new InputError('case is not a JSON object');
  if (c.format !== 'unlearn-kkt/case@1') {
    throw new InputError(`format is ${shown(c.format)}, expected "unlearn-kkt/case@1"`);
  }
  const mo = c.model;
  if (!isObject(mo)) throw new InputError('model is not an object');
  let model: FloatCase['model'];
  if (mo.kind === 'linear') model = { kind: 'linear' };
  else if (mo.kind === 'relu2') {
    if (!Array.isArray(mo.v) || mo.v.length === 0)
      throw new InputError('model.v must be a nonempty array of rationals');
    const v = parseRow(mo.v, 'model.v', null);
    v.forEach((e, j) => {
      if (e === 0) throw new InputError(`model.v[${j}] is zero, output weights must be nonzero`);
    });
    model = { kind: 'relu2', v };
  } else throw new InputError(`model.kind is ${shown(mo.kind)}, expected "linear" or "relu2"`);

  if (!Array.isArray(c.x) || c.x.length === 0) throw new InputError('x must be a nonempty array of rows');
  const x0 = c.x[0];
  if (!Array.isArray(x0) || x0.length === 0) throw new InputError('x[0] must be a nonempty array');
  const d = x0.length;
  const x = c.x.map((row, i) => parseRow(row, `x[${i}]`, d));
  const n = x.length;
  x.forEach((row, i) => {
    const zero = row.every((e, t) => e === 0 && rationalParts((c.x as unknown[][])[i]![t], `x[${i}][${t}]`)[0] === 0n);
    if (zero) throw new InputError(`x[${i}] is the zero vector: no margin can reach 1 on it`);
  });
  if (!Array.isArray(c.y)) throw new InputError('y is not an array');
  if (c.y.length !== n) throw new InputError(`y has ${c.y.length} entries, expected ${n}`);
  const y = c.y.map((e, i) => {
    if (e !== 1 && e !== -1) throw new InputError(`y[${i}] is ${shown(e)}, expected 1 or -1`);
    return e;
  });

  let theta: FloatCase['theta'] = null;
  if (c.theta !== undefined && c.theta !== null) {
    if (model.kind === 'linear') theta = parseRow(c.theta, 'theta', d);
    else {
      const m = model.v.length;
      if (!Array.isArray(c.theta)) throw new InputError('theta is not an array');
      if (c.theta.length !== m)
        throw new InputError(`theta has ${c.theta.length} rows, expected ${m} (one per output weight)`);
      theta = c.theta.map((row, j) => parseRow(row, `theta[${j}]`, d));
    }
  } else if (model.kind === 'relu2') throw new InputError('theta is required for relu2');

  if (!Array.isArray(c.forget) || c.forget.length === 0)
    throw new InputError('forget must be a nonempty array of indices');
  const seen = new Set<number>();
  const forget = c.forget.map((r, k) => {
    if (typeof r !== 'number' || !Number.isInteger(r) || r < 0 || r >= n) {
      throw new InputError(`forget[${k}] is ${shown(r)}, expected an index in 0..${n - 1}`);
    }
    if (seen.has(r)) throw new InputError(`forget[${k}] repeats index ${r}`);
    seen.add(r);
    return r;
  });
  if (forget.length >= n) throw new InputError('forget holds every point; at least one must be retained');

  let step: FloatCase['step'] = { kappa: 1 };
  if (c.step !== undefined) {
    const s = c.step;
    if (!isObject(s)) throw new InputError('step is not an object');
    if ('kappa' in s && 'beta' in s) throw new InputError('step has both kappa and beta');
    if ('beta' in s) {
      const beta = parseRationalFloat(s.beta, 'step.beta');
      if (s.loss !== 'logistic' && s.loss !== 'exponential') {
        throw new InputError(`step.loss is ${shown(s.loss)}, expected "logistic" or "exponential"`);
      }
      step = { beta, loss: s.loss };
    } else if ('kappa' in s) step = { kappa: parseRationalFloat(s.kappa, 'step.kappa') };
    else if (Object.keys(s).length > 0) throw new InputError('step needs "kappa" or "beta" and "loss"');
  }

  let gradient: FloatCase['gradient'] = 'autodiff';
  if (c.gradient !== undefined) {
    if (c.gradient !== 'autodiff' && c.gradient !== 'clarke') {
      throw new InputError(`gradient is ${shown(c.gradient)}, expected "autodiff" or "clarke"`);
    }
    gradient = c.gradient;
  }
  const raw =
    model.kind === 'relu2' && theta !== null ? { x: c.x as unknown[][], theta: c.theta as unknown[][] } : undefined;
  return { model, x, y, theta, forget, step, gradient, ...(raw ? { raw } : {}) };
}

/** Float GA on a parsed case: θ~ as doubles. */
function gaFromFloatCase(fc: FloatCase): number[] | number[][] {
  const { x, y, forget, step } = fc;
  const d = x[0]!.length;
  const tol = roundingTol(d);
  if (fc.model.kind === 'linear') {
    let w: number[];
    if (fc.theta === null) {
      let mm;
      try {
        mm = maxMarginFloat(x, y);
      } catch (e) {
        throw new InputError(`theta is null and ${(e as Error).message}`);
      }
      if (!mm.converged)
        throw new InputError(
          'theta is null and the max-margin solver did not converge (data not separable through the origin?)',
        );
      w = mm.w;
    } else w = fc.theta as number[];
    let gaStep: GaStep;
    if ('kappa' in step) {
      // the optimal certificate of w (least-norm λ when several fit, as in the exact reference;
      // for w = w* it is the max-margin dual solution)
      const cert = certificateFloat({
        G: gram(x),
        y,
        v: [1],
        P: [x.map((xi) => dot(w, xi))],
        pattern: [x.map(() => 1)],
        theta2: dot(w, w),
      });
      gaStep = { kappa: step.kappa, lambda: cert.lambda };
    } else gaStep = step;
    return gaStepLinear(w, x, y, forget, gaStep);
  }

  const v = fc.model.v;
  const W = fc.theta as number[][];
  // Pattern: float signs, except where a pre-activation cannot be told from 0 in float
  // (|<w_j,x_i>| within the rounding bound); there the sign is decided exactly from the
  // case's rationals, so exact kinks are kinks and nothing else is.
  const pattern = patternByRounding(W, x, tol);
  if (fc.raw) {
    const rawX = fc.raw.x;
    const rawW = fc.raw.theta;
    const xi: (bigint[] | undefined)[] = [];
    const wj: (bigint[] | undefined)[] = [];
    pattern.forEach((row, j) =>
      row.forEach((s, i) => {
        if (s !== 0) return;
        const a = (wj[j] ??= integerRow(rawW[j]!, `theta[${j}]`));
        const b = (xi[i] ??= integerRow(rawX[i]!, `x[${i}]`));
        row[i] = exactDotSign(a, b);
      }),
    );
  }
  const needCert =
    'kappa' in step || (fc.gradient === 'clarke' && forget.some((r) => pattern.some((row) => row[r] === 0)));
  let cert = null;
  if (needCert) {
    let theta2 = 0;
    for (const w of W) theta2 += dot(w, w);
    cert = certificateFloat({ G: gram(x), y, v, P: preActivations(W, x), pattern, theta2 });
  }
  const gaStep: GaStep = 'kappa' in step ? { kappa: step.kappa, lambda: cert!.lambda } : step;
  return gaStepRelu2(W, x, y, v, forget, gaStep, fc.gradient, cert?.s, { pattern });
}

/** case@1 (JSON-parsed) -> result@1. Throws InputError on bad input. */
export function gaFromCase(caseJson: unknown): FloatResult {
  const fc = parseCaseFloat(caseJson);
  const theta_after = gaFromFloatCase(fc);
  for (const e of theta_after.flat()) {
    if (!Number.isFinite(e)) throw new InputError('the GA step overflowed float64 (step too large?)');
  }
  return { format: 'unlearn-kkt/result@1', theta_after };
}
