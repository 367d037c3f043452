// The `step` object of case and claim files, checked before the schema so that the usual
// mistakes get their own message (a schema oneOf would report the wrong branch).
import { InputError, shown } from '../errors.ts';

const KEYS = ['kappa', 'beta', 'loss'];

export function checkStepKeys(s: unknown): void {
  if (s === undefined) return;
  if (typeof s !== 'object' || s === null || Array.isArray(s))
    throw new InputError('step must be an object: {"kappa": q} or {"beta": q, "loss": ...}');
  const o = s as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!KEYS.includes(k))
      throw new InputError(`step has an unknown key ${shown(k)} (give "kappa", or "beta" and "loss")`);
  if (o.kappa !== undefined && o.beta !== undefined) throw new InputError('step has both "kappa" and "beta": give one');
  if (o.kappa === undefined && o.beta === undefined) throw new InputError('step needs "kappa" or "beta"');
  if (o.beta !== undefined && o.loss === undefined)
    throw new InputError('step.beta needs "loss": "logistic" or "exponential"');
  if (o.kappa !== undefined && o.loss !== undefined)
    throw new InputError('step.loss goes with "beta" only (kappa sets the effective step itself)');
}
