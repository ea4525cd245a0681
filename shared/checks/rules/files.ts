import type { FileTree } from '../../layers';
import { failIfAny, type ImageCheck } from '../check';

/** Caches package managers leave: downloaded indexes and packages, by directory. */
const CACHES: readonly { readonly dir: string; readonly what: string; readonly keep?: RegExp }[] = [
  { dir: 'var/lib/apt/lists', what: 'apt package lists', keep: /^(?:lock|partial|auxfiles)$/ },
  { dir: 'var/cache/apt/archives', what: 'apt downloaded packages', keep: /^(?:lock|partial)$/ },
  { dir: 'var/cache/apk', what: 'apk cache' },
  { dir: 'root/.cache/pip', what: 'pip cache' },
  { dir: 'var/cache/yum', what: 'yum cache' },
  { dir: 'var/cache/dnf', what: 'dnf cache' },
];

export const packageManagerCache: ImageCheck = {
  id: 'package-manager-cache',
  version: 1,
  title: 'Package manager caches left in the image',
  severity: 'LOW',
  rationale:
    'Package indexes and downloads make the image larger and record what the build fetched, with nothing gained at run time.',
  remediation:
    'Clean in the same RUN: `rm -rf /var/lib/apt/lists/*`, `apk add --no-cache`, `pip install --no-cache-dir`, `dnf clean all`.',
  dockle: 'DKL-DI-0005',
  evaluate({ files }) {
    return failIfAny(
      CACHES.flatMap(({ dir, what, keep }) => {
        const count = filesIn(files, dir, keep);
        return count > 0 ? [`${dir}: ${count} files (${what})`] : [];
      }),
    );
  },
};

/** Shells, package managers and download tools: what an attacker in the container uses first. */
const TOOLS: readonly { readonly kind: string; readonly paths: readonly string[] }[] = [
  {
    kind: 'shell',
    // Both halves of a merged /usr: there bin is a symlink to usr/bin, and the tree keeps links.
    paths: [
      ...['bin/sh', 'bin/bash', 'bin/ash', 'bin/dash', 'bin/zsh'],
      ...['usr/bin/sh', 'usr/bin/bash', 'usr/bin/dash', 'usr/bin/zsh'],
    ],
  },
  {
    kind: 'package manager',
    paths: [
      'usr/bin/apt',
      'usr/bin/apt-get',
      'usr/bin/dpkg',
      'sbin/apk',
      'usr/bin/yum',
      'usr/bin/dnf',
      'usr/bin/microdnf',
      'usr/bin/rpm',
      'bin/rpm',
    ],
  },
  { kind: 'downloader', paths: ['usr/bin/curl', 'usr/bin/wget', 'bin/wget'] },
];

export const notMinimal: ImageCheck = {
  id: 'not-minimal',
  version: 1,
  title: 'Shell, package manager or downloader present',
  severity: 'LOW',
  rationale:
    'A production image needs only the application: a shell, a package manager or curl lets an intruder explore, install and download.',
  remediation:
    'Build the runtime stage from a distroless or scratch base and copy only the application in.',
  informational: true,
  evaluate({ files }) {
    const found = TOOLS.flatMap(({ kind, paths }) =>
      paths.filter((p) => files.has(p)).map((p) => `${kind}: ${p}`),
    );
    return { status: found.length > 0 ? 'info' : 'pass', evidence: found };
  },
};

function filesIn(files: FileTree, dir: string, keep?: RegExp): number {
  let count = 0;
  for (const entry of files.entries()) {
    if (entry.type === 'directory' || !entry.path.startsWith(`${dir}/`)) continue;
    const name = entry.path.slice(dir.length + 1).split('/')[0]!;
    if (keep?.test(name) !== true) count++;
  }
  return count;
}
