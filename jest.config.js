// One Jest run for every workspace. @swc/jest compiles TypeScript with the
// legacy decorators and metadata Nest's dependency injection needs.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
      keepClassNames: true,
    },
  },
];

const project = (dir) => ({
  displayName: dir,
  rootDir: `<rootDir>/${dir}`,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@shop/shared$': `${__dirname}/shared/src/index.ts`,
    '^@shop/shared/(.*)$': `${__dirname}/shared/src/$1`,
  },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
});

/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  projects: [
    'shared',
    'services/users',
    'services/items',
    'services/orders',
    'services/inventory',
    'gateway',
    'client',
  ]
    .map(project)
    // The compose, Kubernetes, monitoring and image-file checks (no images are built here).
    .concat({ ...project('deploy-tests'), testMatch: ['<rootDir>/**/*.spec.ts'] }),
  testTimeout: 30000,
};
