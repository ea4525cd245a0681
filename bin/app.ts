import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { ClearanceStack } from '../lib/clearance-stack';
import { configFromContext } from '../lib/context';

// The CDK app: one stack, configured by the `clearance` context (cdk.json, or -c), checked by
// cdk-nag's AwsSolutions and Serverless packs on every synth.
const app = new App();
new ClearanceStack(app, 'Clearance', { config: configFromContext(app.node) });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
