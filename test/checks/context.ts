import type { CheckContext } from '../../shared/checks/check';
import { instructionsOf } from '../../shared/checks/history';
import type { ContainerConfig, HistoryEntry, ImageConfig } from '../../shared/image/config';
import { parseImageReference } from '../../shared/image/reference';
import type { OperatingSystem } from '../../shared/inventory/package';
import { FileTree } from '../../shared/layers/file-tree';
import type { LayerEntry } from '../../shared/layers/listing';

const LAYER = `sha256:${'b'.repeat(64)}` as const;

/** A file of the final filesystem, with its permission bits. */
export const file = (path: string, mode = 0o644): LayerEntry => ({
  path,
  type: 'file',
  mode,
  size: 1,
  uid: 0,
  gid: 0,
});

export const DEBIAN_12: OperatingSystem = {
  id: 'debian',
  versionId: '12',
  versionCodename: 'bookworm',
  prettyName: 'Debian GNU/Linux 12 (bookworm)',
  eol: false,
  eolDate: '2028-06-30',
};

/** A check context for a well-built image, with `changes` applied. */
export function context(
  changes: {
    readonly reference?: string;
    readonly config?: ContainerConfig;
    readonly history?: readonly HistoryEntry[];
    readonly files?: readonly LayerEntry[];
    readonly annotations?: Record<string, string>;
    readonly os?: OperatingSystem | null;
  } = {},
): CheckContext {
  const config: ImageConfig = {
    rootfs: { type: 'layers', diff_ids: [] },
    config: changes.config ?? {
      User: 'app',
      Healthcheck: { Test: ['CMD', '/app/healthcheck'] },
    },
    history: changes.history ?? [{ created_by: 'COPY app /app # buildkit' }],
  };
  const files = new FileTree();
  files.apply({
    digest: LAYER,
    compression: 'gzip',
    compressedBytes: 1_000_000,
    uncompressedBytes: 3_000_000,
    entries: changes.files ?? [file('app/server', 0o755)],
    whiteouts: [],
    opaqueDirectories: [],
    ignoredEntries: 0,
    problems: [],
  });
  return {
    reference: parseImageReference(changes.reference ?? 'registry.example.org/team/app:1.4.2'),
    config,
    instructions: instructionsOf(config),
    annotations: changes.annotations ?? {},
    os: changes.os === undefined ? DEBIAN_12 : changes.os,
    files,
    layers: [{ compressedBytes: 1_000_000, uncompressedBytes: 3_000_000 }],
  };
}
