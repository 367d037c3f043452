// Every claim of THEORY.md and docs/THEORY-extensions.md as a seeded sampler, in report
// order. `npm run validate` walks this list; properties/ test the same bound functions.
import type { ClaimSpec } from './specs.ts';
import { LINEAR_CLAIMS } from './linearClaims.ts';
import { RELU2_CLAIMS } from './relu2Claims.ts';
import { EXTENSION_CLAIMS } from './extensionClaims.ts';

export type { ClaimSpec, Sample } from './specs.ts';

export const CLAIMS: ClaimSpec[] = [
  ...LINEAR_CLAIMS,
  // two-layer networks (THEORY.md section 5)
  ...RELU2_CLAIMS,
  // G1 and the extensions (docs/THEORY-extensions.md): T2F, T3F, SEQ, V1, V2
  ...EXTENSION_CLAIMS,
];
