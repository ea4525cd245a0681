import * as CDX from '@cyclonedx/cyclonedx-library';
import parseSpdxExpression from 'spdx-expression-parse';
import type { Package } from '../inventory';
import type { ScanReport } from '../scan';
import { TOOL } from '../core';
import { gapNotes, type SbomStamp } from './document';

const { Models, Enums } = CDX;
const licenses = new CDX.Contrib.License.Factories.LicenseFactory((expression) => {
  parseSpdxExpression(expression);
});

/**
 * A CycloneDX 1.6 JSON SBOM: the image as the metadata component, the OS as an
 * `operating-system` component, each package with purl, licences, `clearance:layer`,
 * `clearance:path` and `clearance:origin` (`installed`, or `lockfile`: declared by an application
 * lockfile, not found installed) properties, and dependencies where the package data has them.
 */
export function cycloneDxJson(report: ScanReport, stamp: SbomStamp): string {
  const bom = new Models.Bom({ serialNumber: `urn:uuid:${stamp.uuid}` });
  bom.metadata.timestamp = stamp.timestamp;
  bom.metadata.tools.components.add(
    new Models.Component(Enums.ComponentType.Application, TOOL.name, {
      version: TOOL.version,
      group: TOOL.vendor,
    }),
  );
  bom.metadata.component = imageComponent(report);
  if (report.os !== null) {
    bom.components.add(
      new Models.Component(Enums.ComponentType.OperatingSystem, report.os.id, {
        bomRef: 'os',
        ...(report.os.versionId !== null && { version: report.os.versionId }),
        ...(report.os.prettyName !== null && { description: report.os.prettyName }),
      }),
    );
  }
  const components = report.packages.map((p) => [p, packageComponent(p)] as const);
  for (const [, component] of components) bom.components.add(component);
  linkDependencies(components);
  const serializer = new CDX.Serialize.JsonSerializer(
    new CDX.Serialize.JSON.Normalize.Factory(CDX.Spec.Spec1dot6),
  );
  return `${serializer.serialize(bom, { sortLists: true, space: 2 })}\n`;
}

function imageComponent(report: ScanReport): CDX.Models.Component {
  const { reference, manifestDigest, platform, digest } = report.image;
  const component = new Models.Component(Enums.ComponentType.Container, reference, {
    bomRef: 'image',
    version: manifestDigest,
  });
  component.properties.add(new Models.Property('clearance:image:digest', digest));
  component.properties.add(new Models.Property('clearance:image:platform', platform));
  for (const note of gapNotes(report))
    component.properties.add(new Models.Property('clearance:coverage:gap', note));
  return component;
}

function packageComponent(p: Package): CDX.Models.Component {
  const component = new Models.Component(Enums.ComponentType.Library, p.name, {
    bomRef: `${p.purl}#${p.path}`,
    ...(p.version !== '' && { version: p.version }),
    purl: p.purl,
  });
  for (const licence of p.licenses) component.licenses.add(licenses.makeFromString(licence));
  component.properties.add(new Models.Property('clearance:layer', p.layer));
  component.properties.add(new Models.Property('clearance:path', p.path));
  component.properties.add(new Models.Property('clearance:origin', p.origin ?? 'installed'));
  if (p.ownedBy !== null)
    component.properties.add(new Models.Property('clearance:ownedBy', p.ownedBy));
  if (p.source !== null)
    component.properties.add(
      new Models.Property(
        'clearance:source',
        `${p.source.name}${p.source.version ? `@${p.source.version}` : ''}`,
      ),
    );
  return component;
}

/** A package's dependency names resolved to the components of the same type with those names. */
function linkDependencies(components: readonly (readonly [Package, CDX.Models.Component])[]): void {
  const byName = new Map<string, CDX.Models.Component[]>();
  for (const [p, c] of components) {
    const key = `${p.type}\0${p.name}`;
    byName.set(key, [...(byName.get(key) ?? []), c]);
  }
  for (const [p, c] of components) {
    for (const name of p.dependencies) {
      for (const target of byName.get(`${p.type}\0${name}`) ?? [])
        if (target !== c) c.dependencies.add(target.bomRef);
    }
  }
}
