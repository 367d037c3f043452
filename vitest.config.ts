import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['properties/**/*.test.ts'],
    // fast-check's own interruptAfterTimeLimit stays below this, so seeds are always printed.
    testTimeout: 60_000,
    pool: 'forks',
    // Two workers on the 2-core CI machine (vitest's default leaves one core idle): many
    // files spend their time in child processes (the CLI, python), which overlap.
    maxWorkers: 2,
    // One module graph per worker instead of per file: importing mathjs and fast-check per
    // file dominated the wall time. Test files share no mutable state but the bit budget,
    // which every file that changes it restores.
    isolate: false,
  },
});
