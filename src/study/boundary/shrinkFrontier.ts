// Frontier shrink: make the least violation readable while its axis value stays at or below
// the frontier. (a) explore's parameter shrinks; then rounds of (b) a descent on the explicit
// matrix (an entry moved by one, negated or zeroed, a label toggled) that keeps a candidate only when it still
// violates at a strictly lower axis value, so the frontier can move down, and (c) explore's
// matrix shrinks, kept when they violate at or below the current value. Each candidate is
// re-verified exactly.
import { Rational } from '../../exact/rational.ts';
import type { Label } from '../../data/dataset.ts';
import { type Explicit, type SampleParams } from '../explore/sample.ts';
import { explicitOf, explicitShrinks, paramShrinks } from '../explore/shrink.ts';
import type { Claim } from '../explore/claimFile.ts';
import { type Evaluator, type Point, violates } from './point.ts';

export interface Shrunk {
  /** the generator sample after (a): what the frontier's sampling rests on */
  found: SampleParams;
  /** the explicit case after (b) and (c), at the final frontier value */
  point: Point;
  /** (b) moved the frontier below the least sampled violation */
  descended: boolean;
}

type Accept = (candidate: Point, current: Point) => boolean;

function greedy<T>(
  start: Point,
  cands: (p: Point) => T[],
  evaluate: (t: T) => Point,
  accept: Accept,
  budget: { left: number },
): Point {
  let current = start;
  for (let progress = true; progress && budget.left > 0;) {
    progress = false;
    for (const c of cands(current)) {
      if (budget.left-- <= 0) break;
      const o = evaluate(c);
      if (accept(o, current)) {
        current = o;
        progress = true;
        break;
      }
    }
  }
  return current;
}

/** One-step edits of the matrix: each entry moved by one either way, negated or zeroed; each label toggled. */
function descents(e: Explicit): Explicit[] {
  const out: Explicit[] = [];
  e.x.forEach((row, i) => {
    row.forEach((v, k) => {
      for (const t of [v.sub(Rational.ONE), v.add(Rational.ONE), v.neg(), Rational.ZERO]) {
        if (t.eq(v)) continue;
        const next = row.slice();
        next[k] = t;
        if (next.every((t) => t.isZero())) continue;
        const x = e.x.slice();
        x[i] = next;
        out.push({ ...e, x });
      }
    });
    out.push({ ...e, y: e.y.map((yi, k) => (k === i ? (-yi as Label) : yi)) });
  });
  return out;
}

const ROUNDS = 4;

export function shrinkFrontier(ev: Evaluator, claim: Claim, start: Point, budget = 500): Shrunk {
  const { axis } = ev;
  const left = { left: budget };
  const atOrBelow: Accept = (c, cur) => violates(axis, c) && c.value!.le(cur.value!);
  const below: Accept = (c, cur) => violates(axis, c) && c.value!.lt(cur.value!);
  const a = greedy(
    start,
    (p) => paramShrinks(claim, p.params!),
    (q) => ev.params(q, start.path),
    atOrBelow,
    left,
  );
  let current = ev.explicit(explicitOf(claim, a.params!), start.path);
  if (!violates(axis, current))
    throw new Error(`internal: the explicit form of sample ${start.path} does not reproduce its violation`);
  let descended = false;
  for (let round = 0; round < ROUNDS && left.left > 0; round++) {
    const down = greedy(
      current,
      (p) => descents(p.explicit!),
      (e) => ev.explicit(e, start.path),
      below,
      left,
    );
    const moved = down !== current;
    descended ||= moved && down.value!.lt(a.value!);
    current = greedy(
      down,
      (p) => explicitShrinks(claim, p.explicit!),
      (e) => ev.explicit(e, start.path),
      atOrBelow,
      left,
    );
    if (!moved && round > 0) break;
  }
  return { found: a.params!, point: current, descended };
}
