import { PackageURL } from 'packageurl-js';
import type { FoundPackage, OsRelease } from '../analyzers';

const OS_TYPES: ReadonlySet<string> = new Set(['deb', 'apk', 'rpm']);

/**
 * The package URL (https://github.com/package-url/purl-spec) of a package. OS packages take
 * the distribution as namespace and `distro` qualifier (`pkg:deb/debian/openssl@3.0.15-1~deb12u1?arch=amd64&distro=debian-12`).
 */
export function purlOf(found: FoundPackage, os: OsRelease | undefined): string {
  const qualifiers: Record<string, string> = { ...found.qualifiers };
  let namespace = found.namespace;
  if (OS_TYPES.has(found.type)) {
    namespace = os?.id;
    if (found.arch !== undefined) qualifiers.arch = found.arch;
    if (found.epoch !== undefined) qualifiers.epoch = String(found.epoch);
    if (os?.versionId !== undefined) qualifiers.distro = `${os.id}-${os.versionId}`;
  }
  const hasQualifiers = Object.keys(qualifiers).length > 0;
  return new PackageURL(
    purlType(found),
    namespace,
    found.name,
    found.version,
    hasQualifiers ? qualifiers : undefined,
    undefined,
  ).toString();
}

/**
 * A Maven purl needs the group: an archive whose group nothing names reliably is a `generic`
 * package (https://github.com/package-url/purl-spec/blob/main/PURL-TYPES.rst), its artifact id
 * and version kept, rather than a Maven identity it may not have.
 */
function purlType(found: FoundPackage): string {
  return found.type === 'maven' && found.namespace === undefined ? 'generic' : found.type;
}

/**
 * The name the ecosystem, and OSV, give a package: `@babel/core`, `org.slf4j:slf4j-api`,
 * `golang.org/x/net`, `monolog/monolog`; OS packages have no namespace of their own.
 */
export function ecosystemName(found: FoundPackage): string {
  if (found.namespace === undefined || OS_TYPES.has(found.type)) return found.name;
  return `${found.namespace}${found.type === 'maven' ? ':' : '/'}${found.name}`;
}
