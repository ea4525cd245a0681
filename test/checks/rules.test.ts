import type { CheckContext } from '../../shared/checks/check';
import { runChecks } from '../../shared/checks/evaluate';
import { IMAGE_CHECKS } from '../../shared/checks/rules';
import { DEBIAN_12, context, file } from './context';

const run = (id: string) => `/bin/sh -c ${id}`;
const buildkit = (line: string) => `${line} # buildkit`;

/** Per check: contexts it must fail (or report as info), and contexts it must pass. */
const CASES: Readonly<
  Record<string, { fail: [string, CheckContext][]; pass: [string, CheckContext][] }>
> = {
  'user-root': {
    fail: [
      ['no USER', context({ config: { Healthcheck: { Test: ['CMD', 'true'] } } })],
      ['USER root', context({ config: { User: 'root' } })],
      ['USER 0:0', context({ config: { User: '0:0' } })],
    ],
    pass: [
      ['USER app', context()],
      ['USER 1000:1000', context({ config: { User: '1000:1000' } })],
    ],
  },
  'healthcheck-missing': {
    fail: [
      ['no HEALTHCHECK', context({ config: { User: 'app' } })],
      ['HEALTHCHECK NONE', context({ config: { User: 'app', Healthcheck: { Test: ['NONE'] } } })],
    ],
    pass: [['HEALTHCHECK CMD', context()]],
  },
  'update-alone': {
    fail: [
      ['classic apt-get update', context({ history: [{ created_by: run('apt-get update') }] })],
      [
        'BuildKit apk update',
        context({ history: [{ created_by: buildkit('RUN /bin/sh -c apk update') }] }),
      ],
    ],
    pass: [
      [
        'update && install',
        context({ history: [{ created_by: run('apt-get update && apt-get install -y curl') }] }),
      ],
      [
        'apk add --update',
        context({ history: [{ created_by: run('apk add --no-cache --update curl') }] }),
      ],
    ],
  },
  'setuid-files': {
    fail: [['a setuid copy of bash', context({ files: [file('usr/local/bin/bash', 0o4755)] })]],
    pass: [
      [
        'passwd and su',
        context({ files: [file('usr/bin/passwd', 0o4755), file('bin/su', 0o4755)] }),
      ],
      ['no set-id bits', context({ files: [file('usr/bin/tool', 0o755)] })],
    ],
  },
  'add-instead-of-copy': {
    fail: [
      [
        'ADD of a local file',
        context({ history: [{ created_by: buildkit('ADD app.tar.gz /app/') }] }),
      ],
    ],
    pass: [
      [
        'the base image rootfs',
        context({
          history: [{ created_by: `/bin/sh -c #(nop) ADD file:${'c'.repeat(64)} in / ` }],
        }),
      ],
      ['COPY', context()],
    ],
  },
  'add-remote-url': {
    fail: [
      [
        'ADD https://',
        context({ history: [{ created_by: buildkit('ADD https://example.org/tool.tgz /opt/') }] }),
      ],
    ],
    pass: [
      [
        'ADD --checksum',
        context({
          history: [
            { created_by: buildkit('ADD --checksum=sha256:abc https://example.org/t /opt/') },
          ],
        }),
      ],
      ['no ADD', context()],
    ],
  },
  'secrets-in-env': {
    fail: [
      [
        'ENV DB_PASSWORD',
        context({ config: { User: 'app', Env: ['PATH=/bin', 'DB_PASSWORD=hunter2hunter2'] } }),
      ],
      [
        'a build ARG',
        context({
          history: [{ created_by: buildkit('RUN |1 NPM_TOKEN=npm_abc /bin/sh -c npm ci') }],
        }),
      ],
    ],
    pass: [
      [
        'a path to a secret file',
        context({ config: { User: 'app', Env: ['DB_PASSWORD_FILE=/run/secrets/db'] } }),
      ],
      ['an empty value', context({ config: { User: 'app', Env: ['API_KEY='] } })],
      [
        'ordinary variables',
        context({ config: { User: 'app', Env: ['PATH=/bin', 'TOKENIZERS_PARALLELISM=false'] } }),
      ],
    ],
  },
  'latest-tag': {
    fail: [
      ['tag latest', context({ reference: 'registry.example.org/app:latest' })],
      ['no tag', context({ reference: 'registry.example.org/app' })],
    ],
    pass: [
      ['a version tag', context()],
      [
        'a digest',
        context({ reference: `registry.example.org/app:latest@sha256:${'d'.repeat(64)}` }),
      ],
    ],
  },
  'base-image-not-pinned': {
    fail: [
      [
        'base named, no digest',
        context({ annotations: { 'org.opencontainers.image.base.name': 'debian:12' } }),
      ],
    ],
    pass: [
      [
        'base digest',
        context({
          annotations: { 'org.opencontainers.image.base.digest': `sha256:${'e'.repeat(64)}` },
        }),
      ],
    ],
  },
  'sudo-in-run': {
    fail: [
      ['sudo in a RUN', context({ history: [{ created_by: run('sudo apt-get install -y x') }] })],
    ],
    pass: [['pseudo-code', context({ history: [{ created_by: run('echo pseudo install') }] })]],
  },
  'package-manager-cache': {
    fail: [
      [
        'apt lists',
        context({ files: [file('var/lib/apt/lists/deb.debian.org_dists_bookworm_InRelease')] }),
      ],
      ['pip cache', context({ files: [file('root/.cache/pip/http/a/b')] })],
    ],
    pass: [
      [
        'only the lock',
        context({ files: [file('var/lib/apt/lists/lock'), file('var/lib/apt/lists/partial/x')] }),
      ],
    ],
  },
  'ssh-port-exposed': {
    fail: [['EXPOSE 22', context({ config: { User: 'app', ExposedPorts: { '22/tcp': {} } } })]],
    pass: [['EXPOSE 8080', context({ config: { User: 'app', ExposedPorts: { '8080/tcp': {} } } })]],
  },
  'not-minimal': {
    fail: [
      [
        'a shell and curl (info)',
        context({ files: [file('bin/sh', 0o755), file('usr/bin/curl', 0o755)] }),
      ],
      ['a shell under a merged /usr (info)', context({ files: [file('usr/bin/sh', 0o777)] })],
    ],
    pass: [['only the application', context()]],
  },
  'os-end-of-life': {
    fail: [
      [
        'Debian 10',
        context({ os: { ...DEBIAN_12, versionId: '10', eol: true, eolDate: '2024-06-30' } }),
      ],
    ],
    pass: [['Debian 12', context()]],
  },
  'image-size': {
    fail: [['any image (info)', context()]],
    pass: [],
  },
};

describe('the image checks', () => {
  it('each have a unique id, rationale, remediation and cases', () => {
    expect(new Set(IMAGE_CHECKS.map((c) => c.id)).size).toBe(IMAGE_CHECKS.length);
    for (const check of IMAGE_CHECKS) {
      expect(check.rationale).not.toBe('');
      expect(check.remediation).not.toBe('');
    }
    expect(IMAGE_CHECKS.map((c) => c.id).filter((id) => !(id in CASES))).toEqual([]);
  });

  it('map to the CIS Docker Benchmark §4 recommendations the issue names', () => {
    const cis = new Map(IMAGE_CHECKS.map((c) => [c.id, c.cis]));
    expect([
      ...[
        'user-root',
        'healthcheck-missing',
        'update-alone',
        'setuid-files',
        'add-instead-of-copy',
        'secrets-in-env',
      ].map((id) => cis.get(id)),
    ]).toEqual(['4.1', '4.6', '4.7', '4.8', '4.9', '4.10']);
  });

  describe.each(IMAGE_CHECKS.map((check) => [check.id, check] as const))('%s', (id, check) => {
    const cases = CASES[id]!;
    const expected = check.informational === true ? 'info' : 'fail';

    it.each(cases.fail)(`reports ${expected} for %s`, (_, ctx) => {
      const [result] = runChecks([check], ctx);
      expect(result!.status).toBe(expected);
      expect(result!.evidence.length).toBeGreaterThan(0);
    });

    if (cases.pass.length > 0)
      it.each(cases.pass)('passes %s', (_, ctx) => {
        expect(runChecks([check], ctx)[0]!.status).toMatch(/^(pass|not-applicable)$/);
      });
  });

  describe('when a check throws', () => {
    it('reports an error outcome instead of crashing or passing', () => {
      const broken = {
        ...IMAGE_CHECKS[0]!,
        evaluate: () => {
          throw new Error('boom');
        },
      };
      expect(runChecks([broken], context())[0]).toMatchObject({
        status: 'error',
        evidence: ['the check failed: boom'],
      });
    });
  });
});
