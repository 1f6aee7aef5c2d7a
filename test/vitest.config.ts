import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**'],
    // Real processes, sockets and shared memory across packages: one process per file, generous limits.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
