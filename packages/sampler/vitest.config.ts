import { defineConfig } from 'vitest/config';

// Generous timeouts: these are safety nets for real child processes on a
// busy machine, not performance limits.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
