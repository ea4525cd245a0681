import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { cdkJsonContext } from './cdk-json';
import { ClearanceStack } from './clearance-stack';
import { configFromContext } from './context';
import { projectRoot } from './pipeline-function';

export interface SynthesizeOptions {
  /** Context over `cdk.json`'s (the `clearance` configuration object, feature flags). */
  readonly context?: Record<string, unknown>;
  /** @default - the nearest directory above this file holding `cdk.json` */
  readonly projectRoot?: string;
}

/**
 * The CloudFormation template of the Clearance stack, synthesized in this process, without
 * bundling the functions (their code is not needed to read the definition) and without the
 * built-in template validation: about two seconds. With `cdk.json`'s context, so that the
 * template is the one `cdk synth` makes.
 */
export function synthesizeTemplate(options: SynthesizeOptions = {}): Record<string, unknown> {
  const root = options.projectRoot ?? projectRoot();
  const outdir = mkdtempSync(join(tmpdir(), 'clearance-synth-'));
  try {
    const app = new App({
      outdir,
      builtinCloudFormationValidation: false,
      context: {
        ...cdkJsonContext(root),
        'aws:cdk:bundling-stacks': [],
        ...options.context,
      },
    });
    const stack = new ClearanceStack(app, 'Clearance', {
      config: configFromContext(app.node),
      projectRoot: root,
    });
    return app.synth().getStackArtifact(stack.artifactId).template as Record<string, unknown>;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
