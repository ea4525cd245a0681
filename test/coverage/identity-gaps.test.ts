import { identityGaps } from '../../shared/coverage';
import type { Package } from '../../shared/inventory';

const LAYER = `sha256:${'a'.repeat(64)}`;

function maven(name: string, path: string, ownedBy: string | null = null): Package {
  return {
    name,
    version: '1.0',
    type: 'maven',
    purl: `pkg:generic/${name}@1.0`,
    source: null,
    licenses: [],
    layer: LAYER,
    path,
    origin: 'installed',
    ownedBy,
    dependencies: [],
    supplier: null,
  };
}

describe('identityGaps', () => {
  describe('when archives have no Maven group and no OS package owns them', () => {
    it('gives one gap per file, naming the first artifacts and counting the rest', () => {
      const gaps = identityGaps([
        ...['a', 'b', 'c', 'd', 'e'].map((n) => maven(n, 'app/app.war')),
        maven('tomcat9-juli', 'opt/lib/tomcat9-juli-9.0.70.jar'),
      ]);
      expect(gaps).toEqual([
        {
          kind: 'identity-unknown',
          subject: 'app/app.war',
          reason:
            'no Maven group for a 1.0, b 1.0, c 1.0 and 2 more: the archive has no pom.properties and nothing else names its group reliably',
          affects: expect.stringContaining('Maven advisories name group:artifact'),
          layer: LAYER,
          acceptedBy: null,
        },
        expect.objectContaining({ subject: 'opt/lib/tomcat9-juli-9.0.70.jar' }),
      ]);
    });
  });

  describe('when every archive is identified or OS-owned', () => {
    it('finds none', () => {
      expect(
        identityGaps([
          maven('org.mongodb:bson', 'opt/lib/bson-3.6.3.jar'),
          maven('jsr305', 'usr/share/java/jsr305.jar', 'pkg:deb/debian/libjsr305-java@0.1'),
          { ...maven('left-pad', 'app/node_modules/left-pad/package.json'), type: 'npm' },
        ]),
      ).toEqual([]);
    });
  });

  describe('when there are no packages', () => {
    it('finds none', () => {
      expect(identityGaps([])).toEqual([]);
    });
  });
});
