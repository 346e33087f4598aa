/** Jest runs TypeScript through SWC (fast on this 2-core machine) with decorator metadata for Nest DI. */
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
    },
    module: { type: 'commonjs' },
  },
];

/**
 * openid-client and its two dependencies ship only as ES modules; Jest runs CommonJS, so SWC turns those
 * three packages into CommonJS too (Node itself loads them with require() at run time).
 */
const ESM_PACKAGES = ['openid-client', 'oauth4webapi', 'jose'];
const common = {
  transform: { '^.+\\.tsx?$': swc, [`node_modules/(${ESM_PACKAGES.join('|')})/.+\\.js$`]: swc },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
  testEnvironment: 'node',
};

module.exports = {
  // Integration and browser tests talk to real servers; a unit test is still expected to take milliseconds.
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/server/src/**/*.spec.ts', '<rootDir>/contracts/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
