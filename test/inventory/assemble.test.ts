import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ANALYZERS, analyzeImage, type Analyzer } from '../../shared/analyzers';
import { MAX_FILE_PROBLEMS } from '../../shared/analyzers/run';
import { resolveImage } from '../../shared/image';
import { assembleInventory, type Package } from '../../shared/inventory';
import { MAX_LAYER_PROBLEMS } from '../../shared/layers';
import { openImageSource } from '../../shared/sources';
import { FIXTURES } from '../support/analyzer-fixtures';
import { directoryFiles } from '../support/directory-image';
import { buildImage, writeOciLayout, type LayerSpec } from '../support/image-builder';
import {
  mavenTruth,
  npmTruth,
  scoreArchives,
  scoreInstances,
  walk,
} from '../support/inventory-truth';
import { repeatedEntryTar, STACK_BREAKING_COUNT } from '../support/problem-layers';
import { useTempDir } from '../support/temp';

const TODAY = new Date('2026-11-29T00:00:00Z');

/** An analyser that finds `count` problems in every `broken.txt`. */
function complaining(count: number): Analyzer {
  return {
    name: 'complaining',
    version: 1,
    wants: (path) => path.endsWith('broken.txt'),
    analyze: () =>
      Promise.resolve({
        problems: Array.from({ length: count }, (_, i) => ({ reason: `bad ${i}` })),
      }),
  };
}

describe('assembleInventory', () => {
  const dir = useTempDir();

  async function inventoryOf(tar: Buffer, analyzers: readonly Analyzer[] = []) {
    return inventoryOfLayers([{ tar }], analyzers);
  }

  async function inventoryOfLayers(
    layers: readonly LayerSpec[],
    analyzers: readonly Analyzer[] = ANALYZERS,
  ) {
    await writeOciLayout(dir(), { v1: await buildImage({ layers }) });
    const source = openImageSource(`oci:${dir()}:v1`);
    const [image] = (await resolveImage(source)).manifests;
    const analyzed = await analyzeImage(source, image!, analyzers);
    return {
      layer: image!.layers[0]!.descriptor.digest,
      inventory: assembleInventory(analyzed, { today: TODAY }),
    };
  }

  /** The packages of one type as `name@version path origin ownedBy`. */
  const described = (packages: readonly Package[], type: string) =>
    packages
      .filter((p) => p.type === type)
      .map((p) => `${p.name}@${p.version} ${p.path} ${p.origin} ${p.ownedBy ?? '-'}`);

  describe('when a layer has hundreds of thousands of problems', () => {
    it('lists the first ones and says how many more there are, without overflowing the stack', async () => {
      const tar = repeatedEntryTar(
        { name: 'hardlink', type: '1', linkname: '../../nowhere' },
        STACK_BREAKING_COUNT,
      );
      const { layer, inventory } = await inventoryOf(tar);
      expect(inventory.problems).toHaveLength(MAX_LAYER_PROBLEMS + 1);
      expect(inventory.problems[0]).toMatchObject({ layer, path: 'hardlink' });
      expect(inventory.problems.at(-1)).toEqual({
        layer,
        reason: `… and ${STACK_BREAKING_COUNT - MAX_LAYER_PROBLEMS} more problems in this layer`,
      });
    });
  });

  describe('when an analyser finds more problems in a file than MAX_FILE_PROBLEMS', () => {
    it('keeps the first ones and one line counting the others', async () => {
      const tar = repeatedEntryTar({ name: 'etc/broken.txt', body: 'x' }, 1);
      const { inventory } = await inventoryOf(tar, [complaining(MAX_FILE_PROBLEMS + 50)]);
      expect(inventory.problems).toHaveLength(MAX_FILE_PROBLEMS + 1);
      expect(inventory.problems.at(-1)).toMatchObject({
        path: 'etc/broken.txt',
        reason: 'complaining: … and 50 more problems in this file',
      });
    });
  });

  describe('when a layer repeats one wanted path many times', () => {
    it('lists the first problems of the layer and counts the others, in time linear in the repeats', async () => {
      const tar = repeatedEntryTar({ name: 'etc/broken.txt', body: 'x' }, 20_000);
      const started = Date.now();
      const { layer, inventory } = await inventoryOf(tar, [complaining(1)]);
      expect(inventory.problems).toHaveLength(MAX_LAYER_PROBLEMS + 1);
      expect(inventory.problems.at(-1)).toEqual({
        layer,
        reason: `… and ${20_000 - MAX_LAYER_PROBLEMS} more problems found by the analysers in this layer`,
      });
      expect(Date.now() - started).toBeLessThan(20_000);
    });
  });

  describe('when Debian installed Node packages that ship an npm-shrinkwrap.json (node-lodash)', () => {
    const root = join(FIXTURES, 'npm', 'debian-shrinkwrap');

    it('reports the installed packages, owned by the .deb, and none of the lockfile entries', async () => {
      const { inventory } = await inventoryOfLayers([{ files: directoryFiles(root) }]);
      const owner =
        'pkg:deb/debian/node-lodash@4.17.21+dfsg+~cs8.31.198.20210220-9+deb12u1?arch=all&distro=debian-12';
      expect(described(inventory.packages, 'npm')).toEqual([
        `lodash@4.17.21 usr/share/nodejs/lodash/package.json installed ${owner}`,
        `lodash-cli@4.17.21 usr/share/nodejs/lodash-cli/package.json installed ${owner}`,
      ]);
    });

    it('scores precision and recall 1 against the package.json files on disk', async () => {
      const { inventory } = await inventoryOfLayers([{ files: directoryFiles(root) }]);
      const reported = inventory.packages
        .filter((p) => p.type === 'npm' && p.origin === 'installed')
        .map((p) => ({ path: p.path, id: `${p.name}@${p.version}` }));
      const score = scoreInstances(reported, npmTruth(root, walk(root).files));
      expect(score).toMatchObject({ precision: 1, recall: 1, truePositives: 2 });
    });
  });

  describe('when lockfiles sit at application roots and inside packages', () => {
    const lock = readFileSync(
      join(FIXTURES, 'npm', 'lockfile-v3', 'srv', 'app', 'package-lock.json'),
    );
    const leftPad = '{"name":"left-pad","version":"1.3.0"}';
    const layers = (): LayerSpec[] => [
      {
        files: {
          ...directoryFiles(join(FIXTURES, 'npm', 'debian-shrinkwrap')),
          'srv/app/package-lock.json': lock,
          'srv/site/package-lock.json': lock,
          'srv/site/node_modules/left-pad/package.json': leftPad,
          'usr/lib/python3/dist-packages/notebook/static/package-lock.json': lock,
          'usr/local/bundle/gems/rails-7.1.3/package-lock.json': lock,
          'opt/tool/package-lock.json': lock,
          'var/lib/dpkg/info/tool.list': '/.\n/opt/tool\n/opt/tool/package-lock.json\n',
          'var/lib/dpkg/status': `${readFileSync(join(FIXTURES, 'npm', 'debian-shrinkwrap', 'var/lib/dpkg/status'), 'utf8')}\nPackage: tool\nStatus: install ok installed\nVersion: 1.0-1\nArchitecture: all\n`,
        },
      },
    ];

    it('reads only the lockfile of an application with nothing installed beside it, marked as a lockfile', async () => {
      const { inventory } = await inventoryOfLayers(layers());
      const fromLockfiles = inventory.packages.filter((p) => p.origin === 'lockfile');
      expect(new Set(fromLockfiles.map((p) => p.path))).toEqual(
        new Set(['srv/app/package-lock.json']),
      );
      expect(fromLockfiles.map((p) => `${p.name}@${p.version}`)).toContain('express@4.18.2');
      expect(described(inventory.packages, 'npm').filter((d) => d.includes('left-pad'))).toEqual([
        'left-pad@1.3.0 srv/site/node_modules/left-pad/package.json installed -',
      ]);
    });
  });

  describe('when Debian installed Java libraries (commons-logging, bson, commons-io, tomcat9-juli, jsr305)', () => {
    const root = join(FIXTURES, 'java', 'debian-jars');
    const owner = (deb: string, version: string) =>
      `pkg:deb/debian/${deb}@${version}?arch=all&distro=debian-12`;

    it('gives each jar its Maven identity (pom.properties, the well-known table, Debian maven-repo) and its owner', async () => {
      const { inventory } = await inventoryOfLayers([{ files: directoryFiles(root) }]);
      expect(described(inventory.packages, 'maven')).toEqual([
        `com.google.code.findbugs:jsr305@0.1-SNAPSHOT usr/share/java/jsr305-0.1~+svn49.jar installed ${owner('libjsr305-java', '0.1~+svn49-11')}`,
        `commons-io:commons-io@2.11.0 usr/share/java/commons-io.jar installed ${owner('libcommons-io-java', '2.11.0-2')}`,
        `commons-logging:commons-logging@1.2 usr/share/java/commons-logging-1.2.jar installed ${owner('libcommons-logging-java', '1.2-3')}`,
        `org.apache.tomcat:tomcat-juli@9.0.70 usr/share/java/tomcat9-juli-9.0.70.jar installed ${owner('libtomcat9-java', '9.0.70-2')}`,
        `org.mongodb:bson@3.6.3 usr/share/java/bson-3.6.3.jar installed ${owner('libmongodb-java', '3.6.3-2')}`,
      ]);
      expect(inventory.packages.find((p) => p.name === 'org.mongodb:bson')!.purl).toBe(
        'pkg:maven/org.mongodb/bson@3.6.3',
      );
    });

    it('scores precision and recall 1 against pom.properties and the maven-repo links', async () => {
      const { inventory } = await inventoryOfLayers([{ files: directoryFiles(root) }]);
      const claims = inventory.packages
        .filter((p) => p.type === 'maven')
        .map((p) => ({ path: p.path, id: `${p.name}@${p.version}` }));
      const { files, links } = walk(root);
      const score = scoreArchives(claims, await mavenTruth(root, files, links));
      expect(score).toMatchObject({ precision: 1, recall: 1, truePositives: 5 });
    });

    it('reports a copy outside Debian without an invented group, and nothing for the OSGi name', async () => {
      const copies = Object.fromEntries(
        ['jsr305-0.1~+svn49.jar', 'bson-3.6.3.jar', 'commons-logging-1.2.jar'].map((name) => [
          `opt/app/lib/${name}`,
          readFileSync(join(root, 'usr/share/java', name)),
        ]),
      );
      const { inventory } = await inventoryOfLayers([{ files: copies }]);
      expect(inventory.packages.map((p) => [p.name, p.version, p.purl, p.ownedBy])).toEqual([
        [
          'commons-logging:commons-logging',
          '1.2',
          'pkg:maven/commons-logging/commons-logging@1.2',
          null,
        ],
        ['jsr305', '0.1~+svn49', 'pkg:generic/jsr305@0.1~+svn49', null],
        ['org.mongodb:bson', '3.6.3', 'pkg:maven/org.mongodb/bson@3.6.3', null],
      ]);
    });
  });

  describe('when an OS package installed an archive that nests others', () => {
    it('gives the nested artifacts the owner of the archive', async () => {
      const war = readFileSync(
        join(FIXTURES, 'java', 'nested', 'usr/local/tomcat/webapps/shop.war'),
      );
      const { inventory } = await inventoryOfLayers([
        {
          files: {
            'var/lib/dpkg/status':
              'Package: shop\nStatus: install ok installed\nVersion: 2.0-1\nArchitecture: all\n',
            'var/lib/dpkg/info/shop.list': '/.\n/usr/share/shop\n/usr/share/shop/shop.war\n',
            'usr/share/shop/shop.war': war,
          },
        },
      ]);
      expect(
        inventory.packages.filter((p) => p.type === 'maven').map((p) => [p.name, p.ownedBy]),
      ).toEqual([
        ['com.example:shop', 'pkg:deb/shop@2.0-1?arch=all'],
        ['com.fasterxml.jackson.core:jackson-core', 'pkg:deb/shop@2.0-1?arch=all'],
        ['plain', 'pkg:deb/shop@2.0-1?arch=all'],
      ]);
    });
  });
});
