import type { FoundPackage } from '../analyzer';
import { RpmError } from './errors';
import { RpmTag, type RpmHeader } from './header';

/** rpm records imported signing keys as packages named `gpg-pubkey`; they are not software. */
const GPG_PUBKEY = 'gpg-pubkey';
/** `openssl-3.0.7-27.el9.src.rpm` → name, version, release. */
const SOURCE_RPM = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/;
/**
 * Requirements that are not package names: rpmlib features, file paths, sonames
 * (`libc.so.6()(64bit)`) and other capabilities or rich dependencies (`perl(Foo)`, `(a or b)`).
 */
const NOT_A_PACKAGE = /^rpmlib\(|^\/|^lib.*\.so|\(/;

/**
 * The package an installed rpm header describes, or undefined for `gpg-pubkey` entries.
 * Throws `RpmError` when the header lacks a name or version or its file lists disagree.
 */
export function packageOf(header: RpmHeader): FoundPackage | undefined {
  const [name, version, release] = [RpmTag.name, RpmTag.version, RpmTag.release].map((tag) =>
    header.string(tag),
  );
  if (!name || !version) throw new RpmError('RPM_BAD_HEADER', 'header: NAME or VERSION missing');
  if (name === GPG_PUBKEY) return undefined;
  const epoch = header.int32s(RpmTag.epoch)[0];
  const [arch, license, vendor] = [RpmTag.arch, RpmTag.license, RpmTag.vendor].map((tag) =>
    header.string(tag),
  );
  const source = sourceOf(header.string(RpmTag.sourceRpm));
  return {
    type: 'rpm',
    name,
    version: release ? `${version}-${release}` : version,
    ...(epoch !== undefined && { epoch }),
    ...(arch !== undefined && { arch }),
    ...(source !== undefined && { source }),
    ...(license !== undefined && { licenses: [license] }),
    ...(vendor !== undefined && { supplier: vendor }),
    dependencies: dependenciesOf(header.strings(RpmTag.requireName)),
    files: filesOf(header),
  };
}

function sourceOf(sourceRpm: string | undefined): FoundPackage['source'] {
  const match = sourceRpm === undefined ? null : SOURCE_RPM.exec(sourceRpm);
  return match ? { name: match[1]!, version: `${match[2]!}-${match[3]!}` } : undefined;
}

function dependenciesOf(requires: readonly string[]): string[] {
  return [...new Set(requires.filter((r) => !NOT_A_PACKAGE.test(r)))].sort();
}

/** Files from BASENAMES, DIRNAMES and DIRINDEXES (rpm ≥ 4), or the old flat FILENAMES list. */
function filesOf(header: RpmHeader): string[] {
  const baseNames = header.strings(RpmTag.baseNames);
  if (baseNames.length === 0) return header.strings(RpmTag.fileNames).map(withoutLeadingSlash);
  const dirNames = header.strings(RpmTag.dirNames);
  const dirIndexes = header.int32s(RpmTag.dirIndexes);
  if (dirIndexes.length !== baseNames.length)
    throw new RpmError(
      'RPM_BAD_HEADER',
      `header: ${baseNames.length} BASENAMES but ${dirIndexes.length} DIRINDEXES`,
    );
  return baseNames.map((base, i) => {
    const dir = dirNames[dirIndexes[i]!];
    if (dir === undefined)
      throw new RpmError('RPM_BAD_HEADER', `header: DIRINDEXES[${i}] is outside DIRNAMES`);
    return withoutLeadingSlash(dir + base);
  });
}

function withoutLeadingSlash(path: string): string {
  return path.replace(/^\/+/, '');
}
