import { createHash } from 'node:crypto';
import parseSpdxExpression from 'spdx-expression-parse';
import type { Package } from '../inventory';
import type { ScanReport } from '../scan';
import { TOOL } from '../core';
import { gapNotes, type SbomStamp } from './document';

const NOASSERTION = 'NOASSERTION';
const IMAGE_ID = 'SPDXRef-Image';
const OS_ID = 'SPDXRef-OperatingSystem';

/**
 * An SPDX 2.3 JSON document for one image (https://spdx.github.io/spdx-spec/v2.3/): the image
 * as a CONTAINER package that CONTAINS the OS and every package, each with its purl as a
 * PACKAGE-MANAGER external reference.
 */
export function spdxJson(report: ScanReport, stamp: SbomStamp): string {
  const packages = report.packages.map((p) => ({ id: spdxId(p), p }));
  const document = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: report.image.reference,
    documentNamespace: `https://spdx.org/spdxdocs/${TOOL.name}-${stamp.uuid}`,
    creationInfo: {
      created: stamp.timestamp.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      creators: [`Tool: ${TOOL.name}-${TOOL.version}`, `Organization: ${TOOL.vendor}`],
    },
    documentDescribes: [IMAGE_ID],
    packages: [
      imagePackage(report, stamp),
      ...osPackage(report),
      ...packages.map(({ id, p }) => packageOf(id, p, stamp)),
    ],
    relationships: [
      {
        spdxElementId: 'SPDXRef-DOCUMENT',
        relationshipType: 'DESCRIBES',
        relatedSpdxElement: IMAGE_ID,
      },
      ...(report.os
        ? [{ spdxElementId: IMAGE_ID, relationshipType: 'CONTAINS', relatedSpdxElement: OS_ID }]
        : []),
      ...packages.map(({ id }) => ({
        spdxElementId: IMAGE_ID,
        relationshipType: 'CONTAINS',
        relatedSpdxElement: id,
      })),
    ],
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function imagePackage(report: ScanReport, stamp: SbomStamp): object {
  const { reference, manifestDigest, platform } = report.image;
  const notes = gapNotes(report);
  return {
    SPDXID: IMAGE_ID,
    name: reference,
    versionInfo: manifestDigest,
    primaryPackagePurpose: 'CONTAINER',
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    licenseConcluded: NOASSERTION,
    licenseDeclared: NOASSERTION,
    copyrightText: NOASSERTION,
    checksums: [{ algorithm: 'SHA256', checksumValue: manifestDigest.replace(/^sha256:/, '') }],
    comment: `platform ${platform}`,
    // What the scan could not check, accepted on purpose: the SBOM may lack what they hid.
    ...(notes.length > 0 && {
      annotations: notes.map((comment) => annotation(stamp, `clearance:coverage:gap ${comment}`)),
    }),
  };
}

function osPackage(report: ScanReport): object[] {
  if (report.os === null) return [];
  return [
    {
      SPDXID: OS_ID,
      name: report.os.id,
      ...(report.os.versionId !== null && { versionInfo: report.os.versionId }),
      primaryPackagePurpose: 'OPERATING_SYSTEM',
      downloadLocation: NOASSERTION,
      filesAnalyzed: false,
      licenseConcluded: NOASSERTION,
      licenseDeclared: NOASSERTION,
      copyrightText: NOASSERTION,
    },
  ];
}

/**
 * One package. Where it was found is said in its comment; a package only a lockfile declares
 * also carries a `clearance:origin lockfile` annotation, which tools can read without parsing
 * prose (SPDX 2.3 has no field for it).
 */
function packageOf(id: string, p: Package, stamp: SbomStamp): object {
  const origin = p.origin ?? 'installed';
  return {
    SPDXID: id,
    name: p.name,
    ...(p.version !== '' && { versionInfo: p.version }),
    primaryPackagePurpose: 'LIBRARY',
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    licenseConcluded: NOASSERTION,
    licenseDeclared: declaredLicense(p.licenses),
    copyrightText: NOASSERTION,
    ...(p.supplier !== null && { supplier: `Organization: ${p.supplier}` }),
    ...(p.source !== null && {
      sourceInfo: `built from source package ${p.source.name}${p.source.version ? ` ${p.source.version}` : ''}`,
    }),
    externalRefs: [
      { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: p.purl },
    ],
    comment: `layer ${p.layer}, path ${p.path}, origin ${origin}${p.ownedBy ? `, owned by ${p.ownedBy}` : ''}`,
    ...(origin === 'lockfile' && {
      annotations: [
        annotation(
          stamp,
          'clearance:origin lockfile: declared by an application lockfile; no installed copy was found',
        ),
      ],
    }),
  };
}

/** An annotation by this tool, dated when the document was made. */
function annotation(stamp: SbomStamp, comment: string): object {
  return {
    annotationDate: stamp.timestamp.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    annotationType: 'OTHER',
    annotator: `Tool: ${TOOL.name}-${TOOL.version}`,
    comment,
  };
}

/** The licences as one SPDX expression when they parse as such, else NOASSERTION. */
function declaredLicense(licenses: readonly string[]): string {
  if (licenses.length === 0) return NOASSERTION;
  const expression =
    licenses.length === 1 ? licenses[0]! : licenses.map((l) => `(${l})`).join(' AND ');
  try {
    parseSpdxExpression(expression);
    return expression;
  } catch {
    return NOASSERTION;
  }
}

/** `SPDXRef-deb-openssl-<8 hex>`: readable, unique per purl and path, stable across runs. */
function spdxId(p: Package): string {
  const hash = createHash('sha256').update(`${p.purl}\0${p.path}`).digest('hex').slice(0, 12);
  return `SPDXRef-${p.type}-${p.name.replace(/[^A-Za-z0-9.-]/g, '-')}-${hash}`;
}
