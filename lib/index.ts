// Clearance as a construct library, for teams that compose it into their own CDK app from a
// clone: `import { ClearanceStack } from './clearance/lib'` (README, "Composing it into your app").
export { ClearanceStack, type ClearanceStackProps } from './clearance-stack';
export * from './config';
export { CONFIG_CONTEXT_KEY, configFromContext } from './context';
