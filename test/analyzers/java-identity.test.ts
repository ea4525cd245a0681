import { artifactsOf, type ArchiveMetadata } from '../../shared/analyzers/java-identity';

const manifest = (fields: Record<string, string>) => new Map(Object.entries(fields));
const identity = (archive: Partial<ArchiveMetadata> & { fileName: string }) =>
  artifactsOf({ poms: [], empty: false, ...archive }).map(
    (p) => `${p.namespace ?? '?'}:${p.name}@${p.version}`,
  );

describe('artifactsOf', () => {
  describe('when the archive has pom.properties', () => {
    it('reports each complete one as declared, whatever the file is called', () => {
      const poms = [
        manifest({ groupId: 'com.example', artifactId: 'app', version: '1.0.0' }),
        manifest({ groupId: 'com.google.guava', artifactId: 'guava', version: '32.1.2-jre' }),
      ];
      const found = artifactsOf({ poms, fileName: 'app.jar', empty: false });
      expect(found.map((p) => [p.namespace, p.name, p.version, p.inferred])).toEqual([
        ['com.example', 'app', '1.0.0', undefined],
        ['com.google.guava', 'guava', '32.1.2-jre', undefined],
      ]);
    });

    it('infers the identity when none is complete', () => {
      const poms = [manifest({ groupId: 'com.example', artifactId: 'app' })];
      expect(identity({ poms, fileName: 'app-1.0.jar' })).toEqual(['?:app@1.0']);
    });
  });

  describe('when only the file name and manifest speak', () => {
    it.each([
      // The version comes off the artifact id.
      ['commons-logging-1.2.jar', {}, 'commons-logging:commons-logging@1.2'],
      ['guava-31.1-jre.jar', {}, 'com.google.guava:guava@31.1-jre'],
      ['zstd-jni-1.5.2-5.jar', {}, '?:zstd-jni@1.5.2-5'],
      ['jsr305-0.1~+svn49.jar', {}, '?:jsr305@0.1~+svn49'],
      // Where the manifest's version stands in the name, the split is there.
      [
        'log4j-1.2-api-2.19.0.jar',
        { 'Implementation-Version': '2.19.0' },
        'org.apache.logging.log4j:log4j-1.2-api@2.19.0',
      ],
      [
        'netty-tcnative-boringssl-static-2.0.56.Final-linux-x86_64.jar',
        { 'Implementation-Version': '2.0.56.Final' },
        '?:netty-tcnative-boringssl-static@2.0.56.Final',
      ],
      // Without a version in the name: the title when it reads as an artifact id, else the name.
      [
        'spring.jar',
        { 'Implementation-Title': 'spring-core', 'Implementation-Version': '5.3.20' },
        'org.springframework:spring-core@5.3.20',
      ],
      [
        'jrt-fs.jar',
        { 'Implementation-Title': 'Java Runtime Environment', 'Implementation-Version': '17.0.19' },
        '?:jrt-fs@17.0.19',
      ],
      // An OSGi symbolic name is never the artifact id, nor its group.
      [
        'bson.jar',
        { 'Bundle-SymbolicName': 'org.mongodb.bson', 'Bundle-Version': '3.6.3' },
        'org.mongodb:bson@3.6.3',
      ],
      [
        'widget.jar',
        { 'Bundle-SymbolicName': 'com.acme.widget', 'Bundle-Version': '1.2.0' },
        '?:widget@1.2.0',
      ],
      // Tomcat's build names bundles org.apache.tomcat-<name> for org.apache.tomcat:tomcat-<name>.
      [
        'servlet-api.jar',
        { 'Bundle-SymbolicName': 'org.apache.tomcat-servlet-api', 'Bundle-Version': '9.0.70' },
        'org.apache.tomcat:tomcat-servlet-api@9.0.70',
      ],
      [
        'catalina.jar',
        { 'Bundle-SymbolicName': 'org.apache.tomcat-catalina', 'Implementation-Version': '9.0.70' },
        'org.apache.tomcat:tomcat-catalina@9.0.70',
      ],
      [
        'tomcat-jdbc.jar',
        { 'Bundle-SymbolicName': 'org.apache.tomcat.jdbc', 'Bundle-Version': '9.0.70' },
        '?:tomcat-jdbc@9.0.70',
      ],
      // Implementation-Vendor-Id: a group, unless it is an organisation's id or prose.
      [
        'netty.jar',
        {
          'Implementation-Title': 'netty-common',
          'Implementation-Version': '4.1.100.Final',
          'Implementation-Vendor-Id': 'io.netty',
        },
        'io.netty:netty-common@4.1.100.Final',
      ],
      [
        'httpclient-4.5.14.jar',
        { 'Implementation-Vendor-Id': 'org.apache' },
        '?:httpclient@4.5.14',
      ],
      ['x-1.0.jar', { 'Implementation-Vendor-Id': 'The Apache Software Foundation' }, '?:x@1.0'],
      [
        'bcprov-1.72.jar',
        { 'Implementation-Vendor-Id': 'org.bouncycastle' },
        'org.bouncycastle:bcprov@1.72',
      ],
      // A version nowhere: reported, version unknown.
      ['helpers.jar', {}, '?:helpers@'],
    ])('%s %j → %s', (fileName, fields, expected) => {
      expect(identity({ fileName, manifest: manifest(fields) })).toEqual([expected]);
    });

    it('marks the identity inferred', () => {
      const [found] = artifactsOf({ poms: [], fileName: 'foo-1.0.jar', empty: false });
      expect(found).toEqual({ type: 'maven', name: 'foo', version: '1.0', inferred: true });
    });
  });

  describe('when the archive is empty', () => {
    it('reports nothing', () => {
      expect(artifactsOf({ poms: [], fileName: 'foo-1.0.jar', empty: true })).toEqual([]);
    });
  });
});
