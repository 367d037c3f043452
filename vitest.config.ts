import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['properties/**/*.test.ts'],
    // fast-check's own interruptAfterTimeLimit stays below this, so seeds are always printed.
    testTimeout: 60_000,
    pool: 'forks',
  },
});
