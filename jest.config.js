/** Tests are tiered by file name: *.unit.spec.ts, *.int.spec.ts, *.e2e.spec.ts. */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@exchange/(domain|event-store|signing|access|projections|platform|integration|messaging|synthetic|commands|reactions|testing)$':
      '<rootDir>/libs/$1/src',
    '^@exchange/(domain|event-store|signing|access|projections|platform|integration|messaging|synthetic|commands|reactions|testing)/(.*)$':
      '<rootDir>/libs/$1/src/$2',
  },
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  testTimeout: 60000,
  maxWorkers: 2,
};
