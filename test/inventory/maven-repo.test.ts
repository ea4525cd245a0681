import type { FoundPackage } from '../../shared/analyzers/analyzer';
import { debianMavenCoordinates, withDebianIdentity } from '../../shared/inventory/maven-repo';
import { mergeLayers, type FileTree } from '../../shared/layers/file-tree';
import type { LayerEntry } from '../../shared/layers/listing';

const REPO = 'usr/share/maven-repo';

/** A tree of files (`path`) and symlinks (`path -> target`). */
function tree(...specs: string[]): FileTree {
  const entries: LayerEntry[] = specs.map((spec) => {
    const [path, target] = spec.split(' -> ') as [string, string | undefined];
    return {
      path,
      type: target === undefined ? 'file' : 'symlink',
      mode: 0o644,
      size: 0,
      uid: 0,
      gid: 0,
      ...(target !== undefined && { linkTarget: target }),
    };
  });
  return mergeLayers([
    { digest: `sha256:${'0'.repeat(64)}`, entries, whiteouts: [], opaqueDirectories: [] },
  ]);
}

describe('debianMavenCoordinates', () => {
  describe('when maven-repo links name a jar', () => {
    it('reads group, artifact and version from the link, leaving out the debian versions', () => {
      const found = debianMavenCoordinates(
        tree(
          'usr/share/java/tomcat9-juli-9.0.70.jar',
          `${REPO}/org/apache/tomcat/tomcat-juli/9.0.70/tomcat-juli-9.0.70.jar -> ../../../../../../java/tomcat9-juli-9.0.70.jar`,
          `${REPO}/org/apache/tomcat/tomcat-juli/debian/tomcat-juli-debian.jar -> ../../../../../../java/tomcat9-juli-9.0.70.jar`,
        ),
      );
      expect(Object.fromEntries(found)).toEqual({
        'usr/share/java/tomcat9-juli-9.0.70.jar': [
          { group: 'org.apache.tomcat', artifact: 'tomcat-juli', version: '9.0.70' },
        ],
      });
    });

    it('follows links to links and absolute links to the regular file', () => {
      const found = debianMavenCoordinates(
        tree(
          'usr/share/java/commons-io.jar',
          'usr/share/java/commons-io-2.11.0.jar -> commons-io.jar',
          `${REPO}/commons-io/commons-io/2.11.0/commons-io-2.11.0.jar -> /usr/share/java/commons-io-2.11.0.jar`,
        ),
      );
      expect([...found.keys()]).toEqual(['usr/share/java/commons-io.jar']);
    });
  });

  describe('when links lead nowhere or loop', () => {
    it('names nothing', () => {
      const found = debianMavenCoordinates(
        tree(
          `${REPO}/a/b/1.0/b-1.0.jar -> ../../../../java/missing.jar`,
          `${REPO}/a/c/1.0/c-1.0.jar -> ../../../../java/loop.jar`,
          'usr/share/java/loop.jar -> loop.jar',
          `${REPO}/a/d/1.0/d-1.0.jar -> ../../../../../../../../etc/passwd`,
          `${REPO}/a/e/1.0/not-e.jar -> ../../../../java/e.jar`,
          'usr/share/java/e.jar',
        ),
      );
      expect(found.size).toBe(0);
    });
  });

  describe('when the image has no maven-repo', () => {
    it('names nothing', () => {
      expect(debianMavenCoordinates(tree('usr/share/java/x-1.0.jar')).size).toBe(0);
    });
  });
});

describe('withDebianIdentity', () => {
  const inferred: FoundPackage = {
    type: 'maven',
    name: 'tomcat9-juli',
    version: '9.0.70',
    inferred: true,
  };
  const juli = (version: string) => ({
    group: 'org.apache.tomcat',
    artifact: 'tomcat-juli',
    version,
  });

  it('replaces an inferred identity without a group, preferring the coordinates of the same version', () => {
    expect(withDebianIdentity([inferred], [juli('9.x'), juli('9.0.70')])).toEqual([
      { ...inferred, namespace: 'org.apache.tomcat', name: 'tomcat-juli', version: '9.0.70' },
    ]);
  });

  it('keeps identities declared by pom.properties, or inferred with a group', () => {
    const declared: FoundPackage = { type: 'maven', namespace: 'x', name: 'y', version: '1' };
    const grouped: FoundPackage = { ...inferred, namespace: 'xml-apis', name: 'xml-apis' };
    expect(withDebianIdentity([declared], [juli('1')])).toEqual([declared]);
    expect(withDebianIdentity([grouped], [juli('1')])).toEqual([grouped]);
  });

  it('keeps an archive of several packages as it is: which one is the archive is not known', () => {
    const packages = [inferred, { ...inferred, name: 'nested' }];
    expect(withDebianIdentity(packages, [juli('9.0.70')])).toBe(packages);
  });

  it('keeps the packages when Debian names the jar nowhere', () => {
    expect(withDebianIdentity([inferred], undefined)).toEqual([inferred]);
  });
});
