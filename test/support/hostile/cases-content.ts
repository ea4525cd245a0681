/**
 * Files an analyser must read and cannot: corrupt package databases, Java archives that are
 * bombs, climb out with `../` or nest past any sane depth, executables with corrupt ELF headers
 * or bogus Go and Rust build data. The layers verify (inspect --verify is not held to an exit
 * code); what the file left unchecked is a coverage gap, so scan, sbom and pipeline run must not
 * exit 0 without --allow-incomplete.
 */
import { readFile } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';
import { buildElf } from '../elf-builder';
import type { FileSpec } from '../image-builder';
import { GiB, MiB, pseudoRandom, repoPath } from './bytes';
import { ociCase, type HostileCase } from './case';
import { baseLayers, layerOf, writeImage } from './image';
import { deflatedZeros, zipOf, type ZipEntry } from './zip';

const GO_MAGIC = '\xff Go buildinf:';
const POM = 'groupId=org.example\nartifactId=hostile\nversion=1.0.0\n';

function contentCase(
  id: string,
  description: string,
  files: () => Promise<Record<string, FileSpec>> | Record<string, FileSpec>,
): HostileCase {
  return ociCase({
    id,
    description,
    expectation: 'invalid',
    contentOnly: true,
    async write(dir) {
      await writeImage(dir, await baseLayers(await layerOf(await files())));
    },
  });
}

const executable = (content: Buffer): FileSpec => ({ type: 'file', content, mode: 0o755 });

/** A jar with one pom.properties and `more` entries. */
function jar(more: readonly ZipEntry[] = []): Buffer {
  return zipOf([
    { name: 'META-INF/maven/org.example/hostile/pom.properties', data: Buffer.from(POM) },
    ...more,
  ]);
}

/** Jars inside jars, `depth` deep, the innermost declaring a package. */
function nestedJar(depth: number): Buffer {
  let inner = jar();
  for (let level = depth - 1; level > 0; level--)
    inner = zipOf([{ name: `lib/level-${level}.jar`, data: inner, stored: true }]);
  return inner;
}

/** Berkeley DB `Packages` of the rpm fixtures with every page after the metadata page scrambled. */
async function bdbWithBadPages(): Promise<Buffer> {
  const bytes = await readFile(
    repoPath('test/fixtures/analyzers/rpm/bdb-overflow/var/lib/rpm/Packages'),
  );
  const pageSize = bytes.readUInt32LE(20) || 4096;
  const scrambled = Buffer.from(bytes);
  pseudoRandom('bdb-pages', scrambled.length - pageSize).copy(scrambled, pageSize);
  return scrambled;
}

/** An ELF header with the magic and then offsets and counts far past the file's end. */
function corruptElf(): Buffer {
  const h = Buffer.alloc(64);
  h.write('\x7fELF', 0, 'latin1');
  h[4] = 2; // 64-bit
  h[5] = 1; // little-endian
  h[6] = 1;
  h.writeUInt16LE(2, 16);
  h.writeUInt16LE(62, 18);
  h.writeBigUInt64LE(0xffff_ffff_ff00n, 32); // e_phoff
  h.writeBigUInt64LE(0x7fff_ffff_ffff_ff00n, 40); // e_shoff
  h.writeUInt16LE(56, 54);
  h.writeUInt16LE(0xffff, 56); // e_phnum
  h.writeUInt16LE(64, 58);
  h.writeUInt16LE(0xffff, 60); // e_shnum
  h.writeUInt16LE(0xfffe, 62); // e_shstrndx
  return Buffer.concat([h, pseudoRandom('elf', 4096)]);
}

/** Go build info (Go 1.18+ inline form) whose first string claims 2^35 bytes. */
function goBuildInfo(body: Buffer, flags = 2): Buffer {
  const header = Buffer.alloc(32);
  header.write(GO_MAGIC, 'latin1');
  header[14] = 8;
  header[15] = flags;
  return buildElf({
    sections: [
      { name: '.go.buildinfo', data: Buffer.concat([header, body]), addr: 0x1000, writable: true },
    ],
  });
}

function pointers(...values: bigint[]): Buffer {
  const out = Buffer.alloc(8 * values.length);
  values.forEach((v, i) => out.writeBigUInt64LE(v, 8 * i));
  return out;
}

/** `text` as a Go varint-prefixed string. */
function varintString(text: Buffer): Buffer {
  const length: number[] = [];
  for (let n = text.length; ; n >>>= 7) {
    length.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    if (n <= 0x7f) break;
  }
  return Buffer.concat([Buffer.from(length), text]);
}

export const CONTENT_CASES: readonly HostileCase[] = [
  contentCase('dpkg-status-garbage', "dpkg's status file is 64 KiB of random bytes", () => ({
    'var/lib/dpkg/status': pseudoRandom('dpkg', 64 * 1024),
  })),
  contentCase(
    'dpkg-status-oversize',
    "dpkg's status file is 40 MiB, over the 32 MiB read limit",
    () => ({
      'var/lib/dpkg/status': Buffer.from(
        'Package: filler\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.0\nDescription: '.padEnd(
          1023,
          'x',
        ) + '\n\n',
      )
        .toString()
        .repeat(40 * 1024),
    }),
  ),
  contentCase(
    'apk-installed-garbage',
    "apk's installed database is random bytes with stray P:/V: lines",
    () => ({
      'lib/apk/db/installed': Buffer.concat([
        Buffer.from('P:\nV:\nP:musl\n\0\0'),
        pseudoRandom('apk', 32 * 1024),
      ]),
    }),
  ),
  contentCase(
    'rpmdb-sqlite-not-sqlite',
    'rpmdb.sqlite has the SQLite magic and then random bytes',
    () => ({
      'var/lib/rpm/rpmdb.sqlite': Buffer.concat([
        Buffer.from('SQLite format 3\0'),
        pseudoRandom('sqlite', 64 * 1024),
      ]),
    }),
  ),
  contentCase(
    'rpmdb-bdb-bad-pages',
    'a Berkeley DB Packages whose pages after the metadata page are random',
    async () => ({
      'var/lib/rpm/Packages': await bdbWithBadPages(),
    }),
  ),
  contentCase('rpmdb-ndb-garbage', 'an NDB Packages.db of random bytes after its magic', () => ({
    'usr/lib/sysimage/rpm/Packages.db': Buffer.concat([
      Buffer.from('RpmP'),
      pseudoRandom('ndb', 32 * 1024),
    ]),
  })),
  contentCase('npm-package-json-garbage', 'an installed package.json cut off mid-object', () => ({
    'app/node_modules/left-pad/package.json': '{"name": "left-pad", "version": ',
  })),
  contentCase(
    'python-metadata-garbage',
    'a dist-info METADATA of random bytes (no Name, no Version)',
    () => ({
      'usr/lib/python3/dist-packages/evil-1.0.dist-info/METADATA': pseudoRandom(
        'python',
        16 * 1024,
      ),
    }),
  ),
  contentCase(
    'composer-installed-garbage',
    "Composer's installed.json: packages is a number",
    () => ({
      'app/vendor/composer/installed.json': '{"packages": 5, "dev": "maybe"',
    }),
  ),
  contentCase('dotnet-deps-garbage', 'a .deps.json whose libraries is a string', () => ({
    'app/App.deps.json': '{"runtimeTarget": 1, "libraries": "everything"}',
  })),
  contentCase(
    'gemspec-garbage',
    'a gemspec of random bytes (its file name carries no version)',
    () => ({
      'usr/lib/ruby/gems/3.1.0/specifications/garbage.gemspec': pseudoRandom('gem', 8 * 1024),
    }),
  ),
  contentCase('jar-not-zip', 'a .jar of random bytes', () => ({
    'opt/app/broken.jar': pseudoRandom('jar', 16 * 1024),
  })),
  contentCase(
    'jar-zip-bomb',
    'a jar holding a nested jar of 1 GiB (deflated to 1 MB)',
    async () => ({
      'opt/app/bomb.jar': jar([
        { name: 'BOOT-INF/lib/inner.jar', deflated: await deflatedZeros(GiB) },
      ]),
    }),
  ),
  contentCase(
    'jar-zip-bomb-lying-size',
    'a jar whose nested jar claims 1,000 bytes and inflates to 256 MiB',
    async () => ({
      'opt/app/liar.jar': jar([
        {
          name: 'BOOT-INF/lib/inner.jar',
          deflated: await deflatedZeros(256 * MiB),
          claimedSize: 1000,
        },
      ]),
    }),
  ),
  contentCase(
    'jar-traversal',
    'a jar with entries ../../../../tmp/x, /etc/cron.d/x and a ../ nested jar',
    () => ({
      'opt/app/traversal.jar': jar([
        { name: '../../../../tmp/clearance-hostile', data: Buffer.from('x') },
        { name: '/etc/cron.d/clearance-hostile', data: Buffer.from('* * * * * root id\n') },
        { name: '../../lib/escape.jar', data: jar(), stored: true },
      ]),
    }),
  ),
  contentCase('jar-nested-depth', 'jars nested 12 deep, the innermost declaring a package', () => ({
    'opt/app/russian-doll.jar': nestedJar(12),
  })),
  contentCase(
    'elf-corrupt-header',
    'an executable with the ELF magic and offsets and counts past its end',
    () => ({
      'usr/local/bin/corrupt': executable(corruptElf()),
    }),
  ),
  contentCase(
    'go-buildinfo-huge-string',
    'Go build info whose version string claims 2^35 bytes',
    () => ({
      'usr/local/bin/goapp': executable(goBuildInfo(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x7f]))),
    }),
  ),
  contentCase(
    'go-buildinfo-wild-pointers',
    'pre-1.18 Go build info whose pointers are 0x7fff_ffff_fff0',
    () => ({
      'usr/local/bin/goapp': executable(
        goBuildInfo(pointers(0x7fff_ffff_fff0n, 0x7fff_ffff_fff0n), 0),
      ),
    }),
  ),
  contentCase(
    'go-buildinfo-garbage',
    'Go build info whose version and module text are random bytes',
    () => ({
      'usr/local/bin/goapp': executable(
        goBuildInfo(
          Buffer.concat([
            varintString(pseudoRandom('goversion', 24)),
            varintString(pseudoRandom('modinfo', 4096)),
          ]),
        ),
      ),
    }),
  ),
  contentCase(
    'cargo-auditable-bomb',
    'a .dep-v0 section whose zlib stream inflates to 256 MiB',
    () => ({
      'usr/local/bin/rustapp': executable(
        buildElf({
          sections: [{ name: '.dep-v0', data: deflateSync(Buffer.alloc(256 * MiB), { level: 9 }) }],
        }),
      ),
    }),
  ),
];
