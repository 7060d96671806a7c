import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Monte Carlo tests draw hundreds of thousands of twins; give them room on a 2-core machine.
    testTimeout: 60_000,
  },
});
