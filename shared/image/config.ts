import type { Digest } from './digest';
import { InvalidManifestError } from './errors';
import { z } from 'zod';
import { firstIssue } from '../core';
import { parseJsonObject } from './manifest';

/** The image config's `Healthcheck`, as Docker writes it (durations in nanoseconds). */
export interface Healthcheck {
  readonly Test?: readonly string[];
  readonly Interval?: number;
  readonly Timeout?: number;
  readonly StartPeriod?: number;
  readonly Retries?: number;
}

export interface HistoryEntry {
  readonly created?: string;
  readonly created_by?: string;
  readonly author?: string;
  readonly comment?: string;
  readonly empty_layer?: boolean;
}

/** The runtime part of an image config (`config` in the OCI spec). All fields optional there. */
export interface ContainerConfig {
  readonly User?: string;
  readonly Env?: readonly string[];
  readonly Entrypoint?: readonly string[] | null;
  readonly Cmd?: readonly string[] | null;
  readonly WorkingDir?: string;
  readonly ExposedPorts?: Readonly<Record<string, object>>;
  readonly Volumes?: Readonly<Record<string, object>>;
  readonly Labels?: Readonly<Record<string, string>> | null;
  readonly StopSignal?: string;
  readonly Healthcheck?: Healthcheck;
  readonly OnBuild?: readonly string[] | null;
  readonly Shell?: readonly string[];
}

/** An OCI image config / Docker image JSON. */
export interface ImageConfig {
  readonly architecture?: string;
  readonly os?: string;
  readonly variant?: string;
  readonly created?: string;
  readonly author?: string;
  readonly config?: ContainerConfig;
  readonly rootfs: { readonly type: string; readonly diff_ids: readonly Digest[] };
  readonly history?: readonly HistoryEntry[];
}

/**
 * Parses and checks the parts of a config the engine relies on (`rootfs.diff_ids`), and the
 * types of `config` and `history`. Returns the document itself: unknown fields are kept.
 */
export function parseImageConfig(bytes: Uint8Array, what: string): ImageConfig {
  const doc = parseJsonObject(bytes, what);
  const parsed = ConfigSchema.safeParse(doc);
  if (!parsed.success) throw new InvalidManifestError(what, firstIssue(parsed.error).message);
  return doc as unknown as ImageConfig;
}

const NO_DIFF_IDS = 'rootfs.diff_ids is missing';
/** The keys in the order they are checked; each message is the whole problem. */
const ConfigSchema = z.object({
  rootfs: z.object(
    {
      diff_ids: z.array(
        z.string({ message: 'rootfs.diff_ids holds a value that is not a digest' }),
        { message: NO_DIFF_IDS },
      ),
    },
    { message: NO_DIFF_IDS },
  ),
  config: z.object({}, { message: 'config is not an object' }).nullish(),
  history: z.array(z.unknown(), { message: 'history is not an array' }).optional(),
});
