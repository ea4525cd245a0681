import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { javaAnalyzer } from '../../shared/analyzers/java';
import { analyzeFixture, analyzerFile, FIXTURES, REGULAR_FILE } from '../support/analyzer-fixtures';

const fixture = (name: string) => analyzeFixture(javaAnalyzer, join(FIXTURES, 'java', name));
/** `group:artifact@version`, the group `?` when none is known. */
const coordinates = async (name: string) =>
  (await fixture(name)).flatMap((r) =>
    (r.result.packages ?? []).map((p) => `${p.namespace ?? '?'}:${p.name}@${p.version}`),
  );

describe('javaAnalyzer', () => {
  describe('wants', () => {
    it.each([
      ['usr/share/java/commons-lang3-3.12.0.jar', true],
      ['usr/local/tomcat/webapps/shop.war', true],
      ['opt/app.EAR', true],
      ['var/jenkins_home/plugins/git.jpi', true],
      ['var/jenkins_home/plugins/git.hpi', true],
      ['opt/app/jarfile.txt', false],
      ['opt/app/lib.jar.sha1', false],
    ])('%s → %s', (path, wanted) => {
      expect(javaAnalyzer.wants(path, REGULAR_FILE)).toBe(wanted);
    });
  });

  describe('when the archive has a pom.properties', () => {
    it('reports the Maven coordinates it declares', async () => {
      expect(await coordinates('single')).toEqual(['org.apache.commons:commons-lang3@3.12.0']);
    });
  });

  describe('when a shaded jar has two pom.properties', () => {
    it('reports both artifacts', async () => {
      expect(await coordinates('shaded')).toEqual([
        'com.example:app@1.0.0',
        'com.google.guava:guava@32.1.2-jre',
      ]);
    });
  });

  describe('when only MANIFEST.MF names the artifact', () => {
    it('falls back to its Implementation- fields', async () => {
      expect(await coordinates('manifest-only')).toEqual(['io.netty:netty-common@4.1.100.Final']);
    });
  });

  describe('when the manifest title is prose, not an artifact id', () => {
    it('names the artifact after the archive file, with the manifest version, and no group', async () => {
      expect(await coordinates('manifest-prose')).toEqual(['?:jrt-fs@17.0.19']);
    });
  });

  describe('when a war nests jars in WEB-INF/lib', () => {
    it('reads them too, a jar without metadata named by its file and given no group', async () => {
      expect(await coordinates('nested')).toEqual([
        'com.fasterxml.jackson.core:jackson-core@2.15.2',
        '?:plain@1.0',
        'com.example:shop@2.0.0',
      ]);
    });
  });

  describe("when the image's own application has no pom.properties (a Gradle build)", () => {
    it('reports its dependencies, not an invented identity for the application itself', async () => {
      expect(await coordinates('application')).toEqual([
        // app/orders-service-1.4.0.jar: Spring Boot (Start-Class), its BOOT-INF/lib read
        'com.fasterxml.jackson.core:jackson-core@2.15.2',
        // opt/billing/billing-2.0.jar launches with a Class-Path: nothing of its own;
        // opt/billing/lib/jackson-core-2.15.2.jar is the dependency it names
        'com.fasterxml.jackson.core:jackson-core@2.15.2',
        // opt/tools/h2-2.2.224.jar has a Main-Class but no Class-Path: a library still (and a
        // well-known one, so its group is given)
        'com.h2database:h2@2.2.224',
      ]);
    });
  });

  describe('when the archive declares nothing', () => {
    it('takes artifact and version from the file name, and invents no group', async () => {
      expect(await coordinates('filename')).toEqual(['?:foo@2.3.4']);
    });
  });

  describe('when Debian installed the jars (usr/share/java of five bookworm packages)', () => {
    it('reads identities without the version in the artifact id, nor the OSGi name as one', async () => {
      const found = await fixture('debian-jars');
      expect(
        found.map((r) => [
          r.path,
          (r.result.packages ?? []).map((p) => `${p.namespace ?? '?'}:${p.name}@${p.version}`),
          (r.result.packages ?? []).map((p) => p.inferred ?? false),
        ]),
      ).toEqual([
        // Only a Bundle-SymbolicName (org.mongodb.bson): the table names the group.
        ['usr/share/java/bson-3.6.3.jar', ['org.mongodb:bson@3.6.3'], [true]],
        // pom.properties, in a file named without its version.
        ['usr/share/java/commons-io.jar', ['commons-io:commons-io@2.11.0'], [false]],
        // Implementation-Vendor-Id org.apache is Apache's, not the group; the table names it.
        ['usr/share/java/commons-logging-1.2.jar', ['commons-logging:commons-logging@1.2'], [true]],
        // No version in the manifest; Debian's version in the file name.
        ['usr/share/java/jsr305-0.1~+svn49.jar', ['?:jsr305@0.1~+svn49'], [true]],
        // Implementation-Title "Apache Tomcat" is prose; Tomcat's bundle name org.apache.tomcat-juli
        // follows its build's convention for org.apache.tomcat:tomcat-juli.
        [
          'usr/share/java/tomcat9-juli-9.0.70.jar',
          ['org.apache.tomcat:tomcat-juli@9.0.70'],
          [true],
        ],
      ]);
    });
  });

  describe('when a jar has entries but no version anywhere', () => {
    it('reports it with an unknown version rather than leaving it out', async () => {
      const bytes = readFileSync(join(FIXTURES, 'java', 'filename', 'opt/lib/foo-2.3.4.jar'));
      const result = await javaAnalyzer.analyze(analyzerFile('opt/lib/helpers.jar', bytes));
      expect(result.packages).toEqual([
        { type: 'maven', name: 'helpers', version: '', inferred: true },
      ]);
    });
  });

  describe('when the archive is empty', () => {
    it('finds nothing and reports nothing', async () => {
      expect((await fixture('empty'))[0]!.result).toEqual({ packages: [], problems: [] });
    });
  });

  describe('failures', () => {
    it('reports a problem when the archive is not a zip', async () => {
      const { result } = (await fixture('corrupt'))[0]!;
      expect(result.packages).toEqual([]);
      expect(result.problems![0]!.reason).toMatch(/^broken\.jar: not a readable zip archive/);
    });

    it('reports a problem when the archive was cut at the read limit', async () => {
      const result = await javaAnalyzer.analyze(
        analyzerFile('opt/big.jar', Buffer.from('PK'), true),
      );
      expect(result.problems![0]!.reason).toMatch(/larger than the read limit/);
    });
  });
});
