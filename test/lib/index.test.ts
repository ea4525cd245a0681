import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { ClearanceStack } from '../../lib';

describe('lib/ as a construct library', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'clearance-compose-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it("composes into a team's own app: its own stack id, environment and stacks beside it", () => {
    const cwd = process.cwd();
    process.chdir(tmpdir()); // the team's app runs from its own directory, not the clone
    try {
      const app = new App({
        outdir,
        builtinCloudFormationValidation: false,
        context: { 'aws:cdk:bundling-stacks': [] },
      });
      const platform = new Stack(app, 'Platform', {
        env: { account: '111122223333', region: 'eu-west-1' },
      });
      new Topic(platform, 'Alerts');
      const gate = new ClearanceStack(app, 'ImageGate', {
        env: { account: '111122223333', region: 'eu-west-1' },
        config: { repositories: ['team/*'] },
      });
      const assembly = app.synth();
      expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual(['ImageGate', 'Platform']);
      const template = Template.fromStack(gate);
      template.resourceCountIs('AWS::StepFunctions::StateMachine', 3);
      expect(gate.region).toBe('eu-west-1');
      expect(gate.config.repositories).toEqual(['team/*']);
    } finally {
      process.chdir(cwd);
    }
  });
});
