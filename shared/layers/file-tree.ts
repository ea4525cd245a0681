import type { Digest } from '../image';
import type { LayerEntry, LayerListing } from './listing';

/** A listing, of which a merge reads only what the layer changes in the filesystem below it. */
export type LayerChanges = Pick<
  LayerListing,
  'digest' | 'entries' | 'whiteouts' | 'opaqueDirectories'
> &
  Partial<LayerListing>;

/** An entry of the merged filesystem, with the layer that put its final version there. */
export interface MergedEntry extends LayerEntry {
  readonly layer: Digest;
}

interface Node {
  entry?: MergedEntry;
  children?: Map<string, Node>;
}

/**
 * The filesystem an image's layers add up to: each layer's whiteouts and opaque directories
 * delete from the layers below it, then its entries are laid on top (OCI image spec, "Applying
 * Changesets"). A tree, so deleting a directory costs the same whatever it holds.
 */
export class FileTree {
  private readonly root: Node = { children: new Map() };
  private count = 0;

  /** Lays one layer on top of what is there. */
  apply(listing: LayerChanges): void {
    for (const directory of listing.opaqueDirectories) {
      const node = this.find(directory);
      if (node?.children) node.children = new Map();
    }
    for (const target of listing.whiteouts) this.remove(target);
    for (const entry of listing.entries) this.put({ ...entry, layer: listing.digest });
    this.count = -1;
  }

  get(path: string): MergedEntry | undefined {
    return this.find(path)?.entry;
  }

  /** Whether anything is at `path`, including a directory only implied by deeper entries. */
  has(path: string): boolean {
    return this.find(path) !== undefined;
  }

  /** Number of entries (directories implied by deeper paths not counted). */
  get size(): number {
    if (this.count < 0) {
      this.count = 0;
      for (const _ of this.entries()) this.count++;
    }
    return this.count;
  }

  /** Every entry, parents before children, names in byte order. */
  *entries(): IterableIterator<MergedEntry> {
    yield* walk(this.root);
  }

  private put(entry: MergedEntry): void {
    const names = entry.path.split('/');
    let node = this.root;
    for (const name of names) {
      node.children ??= new Map();
      let child = node.children.get(name);
      if (child === undefined) {
        child = {};
        node.children.set(name, child);
      }
      node = child;
    }
    // A non-directory replaces a whole subtree; a directory over a directory merges with it.
    if (entry.type !== 'directory') node.children = undefined;
    else if (node.entry !== undefined && node.entry.type !== 'directory') node.children = new Map();
    node.entry = entry;
  }

  private remove(path: string): void {
    const slash = path.lastIndexOf('/');
    const parent = slash < 0 ? this.root : this.find(path.slice(0, slash));
    parent?.children?.delete(path.slice(slash + 1));
  }

  private find(path: string): Node | undefined {
    if (path === '') return this.root;
    let node: Node | undefined = this.root;
    for (const name of path.split('/')) {
      node = node.children?.get(name);
      if (node === undefined) return undefined;
    }
    return node;
  }
}

/** Merges listings in layer order (lowest first). */
export function mergeLayers(listings: Iterable<LayerChanges>): FileTree {
  const tree = new FileTree();
  for (const listing of listings) tree.apply(listing);
  return tree;
}

/**
 * Entries below `root`, parents before children, names in byte order. With a stack of its own:
 * a path of 200,000 segments (a PAX header carries one) would overflow the call stack.
 */
function* walk(root: Node): IterableIterator<MergedEntry> {
  const pending = childrenOf(root).reverse();
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (node.entry) yield node.entry;
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]!);
  }
}

function childrenOf(node: Node): Node[] {
  const children = node.children;
  if (children === undefined) return [];
  return [...children.keys()].sort().map((name) => children.get(name)!);
}
