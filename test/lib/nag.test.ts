import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { FULL_CONFIG, synthesize } from './synth';

/** The findings of both packs no acknowledgement covers: `rule @ construct path`. */
function unacknowledged(stack: IConstruct): string[] {
  return [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((pack) =>
    pack
      .validateScope(stack)
      .violations.flatMap((violation) =>
        violation.violatingResources.map((r) => `${violation.ruleName} @ ${r.constructPath}`),
      ),
  );
}

/** Every acknowledgement in the tree: its rule, where it is made, and its reason. */
function acknowledgements(scope: IConstruct): { id: string; path: string; reason: string }[] {
  const own = scope.node.metadata
    .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((entry) =>
      Object.entries(entry.data as Record<string, { reason?: string } | string>).map(
        ([id, value]) => ({
          id,
          path: scope.node.path,
          reason: typeof value === 'string' ? value : (value.reason ?? ''),
        }),
      ),
    );
  return [...own, ...scope.node.children.flatMap(acknowledgements)];
}

describe('cdk-nag', () => {
  describe('when the configuration is the default one', () => {
    it('passes the AwsSolutions and Serverless packs through the synth (as cdk synth runs them)', () => {
      const { app } = synthesize();
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
      expect(() => app.synth({ force: true })).not.toThrow();
    });
  });

  describe.each([
    ['every optional part', FULL_CONFIG],
    [
      'a policy file and repository prefixes',
      { repositories: ['team-a/*'], policy: { kind: 'file' as const, path: 'cdk.json' } },
    ],
    ['the runtime gate stopping tasks anywhere', { runtimeEnforcement: 'stop' as const }],
    [
      'the runtime gate stopping tasks in some clusters',
      { runtimeEnforcement: 'stop' as const, runtimeClusters: ['prod-*'] },
    ],
  ])('when the configuration has %s', (_name, config) => {
    const { stack } = synthesize(config);

    it('leaves no finding of either pack unacknowledged', () => {
      expect(unacknowledged(stack)).toEqual([]);
    });

    it('gives each acknowledgement its reason', () => {
      const acks = acknowledgements(stack);
      expect(acks.length).toBeGreaterThan(0);
      for (const ack of acks) expect([ack.id, ack.reason.length > 20]).toEqual([ack.id, true]);
    });
  });
});
