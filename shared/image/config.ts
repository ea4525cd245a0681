import type { Digest } from './digest';
import { InvalidManifestError } from './errors';
import { isObject } from '../core/json';
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

/** Parses and checks the parts of a config the engine relies on (`rootfs.diff_ids`). */
export function parseImageConfig(bytes: Uint8Array, what: string): ImageConfig {
  const doc = parseJsonObject(bytes, what);
  const rootfs = doc.rootfs;
  if (!isObject(rootfs) || !Array.isArray(rootfs.diff_ids)) {
    throw new InvalidManifestError(what, 'rootfs.diff_ids is missing');
  }
  if (!rootfs.diff_ids.every((d) => typeof d === 'string')) {
    throw new InvalidManifestError(what, 'rootfs.diff_ids holds a value that is not a digest');
  }
  if (doc.config !== undefined && doc.config !== null && !isObject(doc.config)) {
    throw new InvalidManifestError(what, 'config is not an object');
  }
  if (doc.history !== undefined && !Array.isArray(doc.history)) {
    throw new InvalidManifestError(what, 'history is not an array');
  }
  return doc as unknown as ImageConfig;
}
