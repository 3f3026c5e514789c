import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // End-to-end files start their own daemons on private ports and sockets, so
    // they may run in parallel; keep the pool small on this 2-core class of machine.
    maxWorkers: 2,
  },
});
