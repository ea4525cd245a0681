/**
 * The house's rules, checked in CI (`npm run lint:imports`); README, "Development", draws the
 * map they keep true.
 * - No import cycle, type-only imports included.
 * - shared/ is the engine and its adapters: it never imports the places where the app is
 *   assembled (functions/, lib/, bin/).
 * - A folder's index.ts is its door: from outside a folder, import the folder, never a file in
 *   it. shared/<folder>/ is one folder (its subfolders are its own business), except shared/aws/,
 *   where each service (dynamodb/, ecr/, …) is a folder and aws/index.ts holds what they share.
 *   Tests may open any file: they mirror the tree and test each file where it is.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'An import cycle, type-only ones included: a picture a reader cannot layer.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'shared-stays-below-the-app',
      severity: 'error',
      comment: 'shared/ must not import functions/, lib/ or bin/: the app is assembled above it.',
      from: { path: '^shared/' },
      to: { path: '^(functions|lib|bin)/' },
    },
    {
      name: 'functions-stay-below-the-cdk-app',
      severity: 'error',
      comment: 'A Lambda entry imports the engine and its adapters, never the CDK app or the CLI.',
      from: { path: '^functions/' },
      to: { path: '^(lib|bin)/' },
    },
    {
      name: 'folder-door',
      severity: 'error',
      comment: "From outside a folder of shared/, import the folder's index.ts, not a file in it.",
      from: { path: '^shared/([^/]+)/', pathNot: '^shared/aws/' },
      to: {
        path: '^shared/[^/]+/',
        pathNot: ['^shared/$1/', '^shared/[^/]+/index\\.ts$', '^shared/aws/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'aws-service-door',
      severity: 'error',
      comment: "From outside an AWS service's folder, import its index.ts, not a file in it.",
      from: { path: '^shared/aws/([^/]+)/' },
      to: {
        path: '^shared/',
        pathNot: ['^shared/aws/$1/', '^shared/[^/]+/index\\.ts$', '^shared/aws/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'app-uses-doors',
      severity: 'error',
      comment: "functions/, lib/ and bin/ import shared/ through its folders' doors.",
      from: { path: '^(functions|lib|bin)/' },
      to: {
        path: '^shared/',
        pathNot: ['^shared/[^/]+/index\\.ts$', '^shared/aws/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'not-through-own-door',
      severity: 'error',
      comment: "A file imports its own folder's files directly, never its own index.ts.",
      from: { path: '^shared/([^/]+)/', pathNot: '^shared/aws/' },
      to: { path: '^shared/$1/index\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|\\.bench|test|bench|scripts)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
