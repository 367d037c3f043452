// The repository's root directory, for its data files (schemas/, fixtures/, package.json).
// This file sits one level below the root both as TypeScript (src/) and in the bundle (dist/,
// scripts/build.mjs writes it flat), so the same relative URL serves both.
export const ROOT = new URL('../', import.meta.url);
