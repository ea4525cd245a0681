import { z } from 'zod';
import { DeploymentError } from './errors';

/*
 * The runtime gate's settings, as the stack configures them (`runtimeEnforcement`,
 * `runtimeClusters`, `runtimeExceptions` in lib/config.ts) and the deployment-watch function
 * reads them at cold start: a wrong value fails there, naming the variable and the field.
 */

/** `alert`: a task from a failing or unknown image is recorded and alerted; `stop`: also stopped. */
export type Enforcement = 'alert' | 'stop';

/**
 * A runtime exception: `stop` turns into alert-only for the images of `repositories` (globs of
 * repository names, `*` any run of characters, `?` one) in the clusters of `clusters` (globs of
 * cluster names). A dimension left out covers everything; at least one is given. It applies
 * through `expires` (a UTC day, inclusive); an expired one applies to nothing and is reported.
 */
export interface RuntimeException {
  readonly id: string;
  readonly repositories?: readonly string[];
  readonly clusters?: readonly string[];
  readonly owner: string;
  readonly reason: string;
  readonly expires: string;
}

/** What the deployment watch decides with. */
export interface RuntimeGate {
  readonly enforcement: Enforcement;
  /** Cluster-name globs where `stop` applies (elsewhere: alert only). */
  readonly clusters: readonly string[];
  readonly exceptions: readonly RuntimeException[];
}

/** The gate when nothing is configured: alert only, everywhere, no exception. */
export const DEFAULT_RUNTIME_GATE: RuntimeGate = {
  enforcement: 'alert',
  clusters: ['*'],
  exceptions: [],
};

const Globs = z.array(z.string().trim().min(1)).min(1);

/** The exceptions' schema (lib/context.ts checks the same shape at synth). */
export const RuntimeExceptions = z.array(
  z
    .object({
      id: z.string().trim().min(1),
      repositories: Globs.optional(),
      clusters: Globs.optional(),
      owner: z.string().trim().min(1),
      reason: z.string().trim().min(1),
      expires: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a YYYY-MM-DD day')
        .refine((day) => !Number.isNaN(Date.parse(`${day}T00:00:00Z`)), 'not a day'),
    })
    .strict()
    .refine((e) => e.repositories !== undefined || e.clusters !== undefined, {
      message: 'names no repositories and no clusters',
    }),
);

/** `CLEARANCE_RUNTIME_ENFORCEMENT`: `alert` or `stop`. */
export function enforcementMode(value: string, name: string): Enforcement {
  if (value === 'alert' || value === 'stop') return value;
  throw new DeploymentError('MISCONFIGURED', `${name} is "${value}"; expected alert or stop`);
}

/** `CLEARANCE_RUNTIME_EXCEPTIONS`: the exceptions as JSON, each checked. */
export function parseRuntimeExceptions(json: string, name: string): RuntimeException[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new DeploymentError('MISCONFIGURED', `${name}: expected JSON`, { cause: error });
  }
  const parsed = RuntimeExceptions.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DeploymentError(
      'MISCONFIGURED',
      `${name}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const ids = parsed.data.map((e) => e.id);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated !== undefined)
    throw new DeploymentError('MISCONFIGURED', `${name}: exception id "${repeated}" is used twice`);
  return parsed.data;
}
