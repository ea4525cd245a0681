import type { PackageType } from '../analyzers';
import type { Digest } from '../image';

/**
 * How a package is known to be in the image: `installed` when its own record is on disk (a
 * package database entry, an installed manifest, an executable's build record, an archive), or
 * `lockfile` when only an application's lockfile declares it (no installed copy was found: the
 * application's dependencies were not installed beside it, or were installed elsewhere).
 */
export type PackageOrigin = 'installed' | 'lockfile';

/** A package of the final image: what its analyser found, where, since which layer, owned by whom. */
export interface Package {
  /** As the ecosystem names it, namespace included (`@babel/core`, `org.slf4j:slf4j-api`). */
  readonly name: string;
  readonly version: string;
  readonly type: PackageType;
  readonly purl: string;
  readonly source: { readonly name: string; readonly version?: string } | null;
  readonly licenses: readonly string[];
  /** The layer that introduced the final version. */
  readonly layer: Digest;
  /** The file it was found in (a database, a manifest, a lockfile, an archive). */
  readonly path: string;
  /** Always written by this version; a report written before packages carried it means `installed`. */
  readonly origin?: PackageOrigin;
  /** purl of the OS package whose files include `path` (pip or npm content installed by apt). */
  readonly ownedBy: string | null;
  readonly dependencies: readonly string[];
  readonly supplier: string | null;
}

/** The distribution, with its end-of-life status. */
export interface OperatingSystem {
  readonly id: string;
  readonly versionId: string | null;
  readonly versionCodename: string | null;
  readonly prettyName: string | null;
  readonly eol: boolean;
  readonly eolDate: string | null;
}

export interface InventoryProblem {
  readonly layer: Digest;
  readonly path?: string;
  readonly reason: string;
}

/** Everything installed in one platform image. */
export interface Inventory {
  readonly os: OperatingSystem | null;
  readonly packages: readonly Package[];
  readonly problems: readonly InventoryProblem[];
}
