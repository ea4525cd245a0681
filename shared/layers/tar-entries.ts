import type { Extract, Header } from 'tar-stream';
import type { Digest } from '../image';
import { LayerLimitError } from './errors';
import { deliverBody } from './file-body';
import type { LayerLimits } from './limits';
import { MAX_LAYER_PROBLEMS, type EntryType, type LayerEntry, type LayerProblem } from './listing';
import { normaliseEntryPath, whiteoutOf } from './paths';
import type { WalkOptions } from './walk-options';

const ENTRY_TYPES: Readonly<Partial<Record<Header['type'], EntryType>>> = {
  file: 'file',
  'contiguous-file': 'file',
  directory: 'directory',
  symlink: 'symlink',
  link: 'hardlink',
};

/** The part of a listing the tar walk fills in, mutable while it runs. */
export interface WalkState {
  entries: LayerEntry[];
  whiteouts: string[];
  opaqueDirectories: string[];
  ignoredEntries: number;
  problems: LayerProblem[];
  problemCount: number;
}

/** Reads a layer tar's entries: lists them, hands selected files over, skips other bodies. */
export async function readEntries(
  tar: Extract,
  options: WalkOptions & { limits: LayerLimits },
): Promise<WalkState> {
  const layer = options.descriptor.digest;
  const result: WalkState = {
    entries: [],
    whiteouts: [],
    opaqueDirectories: [],
    ignoredEntries: 0,
    problems: [],
    problemCount: 0,
  };
  let seen = 0;
  try {
    for await (const body of tar) {
      if (++seen > options.limits.maxEntries)
        throw new LayerLimitError(layer, 'maxEntries', options.limits.maxEntries);
      const entry = classify(body.header, layer, result);
      const selected = entry?.type === 'file' ? options.select?.(entry) : false;
      if (entry !== undefined && selected) {
        const delivery = selected === true ? 'bytes' : selected;
        const consume = options.onFile ?? (() => undefined);
        await deliverBody(body, { layer, entry, delivery, limits: options.limits }, consume);
      } else {
        body.resume();
      }
    }
  } catch (error) {
    tar.destroy(error as Error);
    throw error;
  }
  return result;
}

/** Records a header in `result`; returns the entry when it is a real filesystem entry. */
function classify(header: Header, layer: Digest, result: WalkState): LayerEntry | undefined {
  const normalised = normaliseEntryPath(header.name);
  if (!normalised.ok) {
    addProblem(result, { layer, path: header.name, reason: normalised.reason });
    return undefined;
  }
  const { path } = normalised;
  const type = ENTRY_TYPES[header.type];
  if (path === '' || type === undefined) {
    if (type === undefined) result.ignoredEntries++;
    return undefined;
  }
  const whiteout = whiteoutOf(path);
  if (whiteout !== undefined) {
    if (whiteout.kind === 'opaque') result.opaqueDirectories.push(whiteout.directory);
    else result.whiteouts.push(whiteout.target);
    return undefined;
  }
  const linkTarget = linkTargetOf(header, type, layer, result);
  if (linkTarget === null) return undefined;
  const entry: LayerEntry = {
    path,
    type,
    mode: header.mode,
    size: header.size,
    uid: header.uid,
    gid: header.gid,
    ...(linkTarget !== undefined && { linkTarget }),
  };
  result.entries.push(entry);
  return entry;
}

/** The link target to record; null when a hard link points outside the image (a problem). */
function linkTargetOf(
  header: Header,
  type: EntryType,
  layer: Digest,
  result: WalkState,
): string | undefined | null {
  if (type === 'symlink') return header.linkname ?? '';
  if (type !== 'hardlink') return undefined;
  const target = normaliseEntryPath(header.linkname ?? '');
  if (target.ok && target.path !== '') return target.path;
  addProblem(result, {
    layer,
    path: header.name,
    reason: `hard link target "${header.linkname}" is outside the image root`,
  });
  return null;
}

/** Counts a problem; keeps it when fewer than {@link MAX_LAYER_PROBLEMS} are kept. */
function addProblem(result: WalkState, problem: LayerProblem): void {
  result.problemCount++;
  if (result.problems.length < MAX_LAYER_PROBLEMS) result.problems.push(problem);
}
