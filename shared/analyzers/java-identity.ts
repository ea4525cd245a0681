import type { FoundPackage } from './analyzer';
import { conventionIdentity, knownGroup, vendorGroup } from './java-known';

/** Java archive file extensions, as they sit in images and inside other archives. */
export const ARCHIVE = /\.(?:jar|war|ear|jpi|hpi)$/i;
/** What Maven accepts as an artifact id, lower-case as published artifacts are. */
const ARTIFACT_ID = /^[a-z0-9][a-z0-9_.-]*$/;
/** `<artifact>-<version>`: the version starts at the first `-` followed by a digit. */
const NAME_VERSION = /^(.+?)-(\d.*)$/;

/** What an archive says about itself: its `pom.properties` files and main manifest section. */
export interface ArchiveMetadata {
  readonly poms: readonly ReadonlyMap<string, string>[];
  readonly manifest?: ReadonlyMap<string, string>;
  /** The archive's file name (`commons-logging-1.2.jar`). */
  readonly fileName: string;
  /** The archive has no entries: it holds nothing, and is no package. */
  readonly empty: boolean;
  /**
   * The archive is an application, not a library: a file of the image (not nested) that holds
   * other archives (a Spring Boot jar, a war) or launches with a class path (`Start-Class`,
   * `Spring-Boot-Version`, or `Main-Class` with `Class-Path`).
   */
  readonly application?: boolean;
}

/**
 * The Maven artifacts an archive is. Each `pom.properties` (Maven writes one per artifact; a
 * shaded jar has several) is the archive's word. Without one, the identity is inferred:
 * - artifact and version from the file name, the version taken off it (`commons-logging-1.2.jar`
 *   is `commons-logging` 1.2) and split where the manifest's version says when it does;
 *   without a version in the file name, from `Implementation-Title` when it reads as an artifact
 *   id, else the file name, with the manifest's version. An OSGi `Bundle-SymbolicName` is never an
 *   artifact id (`org.mongodb.bson` is `org.mongodb:bson`);
 * - the group only from a source that names it reliably: a build convention (Tomcat's bundle
 *   names), the table of well-known artifacts, or `Implementation-Vendor-Id` when it is no
 *   organisation's id. Otherwise there is none, and the
 *   package is reported without a group: Maven advisories name `group:artifact`, and no match is
 *   guessed for it (coverage reports it as `identity-unknown` unless an OS package owns it).
 */
export function artifactsOf(archive: ArchiveMetadata): FoundPackage[] {
  const declared = archive.poms.flatMap((p) => {
    const [group, artifact, version] = [p.get('groupId'), p.get('artifactId'), p.get('version')];
    return group && artifact && version
      ? [{ type: 'maven' as const, namespace: group, name: artifact, version }]
      : [];
  });
  // An application without pom.properties is the image's own code (a Gradle build's jar): no
  // advisory names it, its dependencies are what is checked, and inventing an identity for it
  // would only add a package nothing can match (and an identity-unknown gap on every such image).
  if (declared.length > 0 || archive.empty || archive.application === true) return declared;
  const inferred = inferredIdentity(archive.manifest ?? new Map(), archive.fileName);
  return inferred === undefined ? [] : [inferred];
}

function inferredIdentity(
  manifest: ReadonlyMap<string, string>,
  fileName: string,
): FoundPackage | undefined {
  const stem = fileName.replace(ARCHIVE, '');
  const declaredVersion = manifest.get('Implementation-Version') ?? manifest.get('Bundle-Version');
  const named = nameAndVersion(stem, declaredVersion);
  const convention = conventionIdentity(manifest);
  const artifact = convention?.artifact ?? named?.artifact ?? titleOrStem(manifest, stem);
  // An archive that names no version anywhere is still reported (version unknown): left out, it
  // would be unchecked without anyone knowing.
  const version = named?.version ?? declaredVersion ?? '';
  if (!artifact) return undefined;
  const group =
    convention?.group ??
    knownGroup(artifact) ??
    vendorGroup(manifest.get('Implementation-Vendor-Id'));
  return {
    type: 'maven',
    ...(group !== undefined && { namespace: group }),
    name: artifact,
    version,
    inferred: true,
  };
}

/** `Implementation-Title` when it reads as an artifact id (not prose: "Apache Tomcat"), else the file's. */
function titleOrStem(manifest: ReadonlyMap<string, string>, stem: string): string {
  const title = manifest.get('Implementation-Title');
  return title !== undefined && ARTIFACT_ID.test(title) ? title : stem;
}

/**
 * `<artifact>-<version>[-<classifier>]` split: where the manifest's version stands in the name
 * when it does (`log4j-1.2-api-2.19.0` is `log4j-1.2-api` 2.19.0), else at the first `-<digit>`.
 */
function nameAndVersion(
  stem: string,
  declared: string | undefined,
): { artifact: string; version: string } | undefined {
  if (declared !== undefined) {
    const at = stem.lastIndexOf(`-${declared}`);
    const rest = at > 0 ? stem.slice(at + declared.length + 1) : undefined;
    if (rest !== undefined && (rest === '' || rest.startsWith('-')))
      return { artifact: stem.slice(0, at), version: declared };
  }
  const match = NAME_VERSION.exec(stem);
  return match === null ? undefined : { artifact: match[1]!, version: match[2]! };
}
