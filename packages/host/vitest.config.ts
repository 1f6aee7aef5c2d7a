import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    // Real child processes, sockets and signals: one process per file.
    pool: 'forks',
    // The CLI tests run bin/sandmeter.js, which loads dist/: build it first.
    globalSetup: ['test/global-setup.ts'],
  },
});
