import { SENSITIVE_FILE_RULES, sensitiveFilesAnalyzer } from '../../shared/secrets/sensitive-files';
import { BASE64, fake, pem } from './examples';

/** Per rule: files that are reported (path, content), and files that are not. */
const CASES: Readonly<Record<string, { found: [string, string][]; passed: [string, string][] }>> = {
  'git-repository': {
    found: [['srv/app/.git/HEAD', 'ref: refs/heads/main\n']],
    passed: [
      ['srv/app/.github/HEAD', 'x'],
      ['srv/app/.git/config', '[core]\n'],
    ],
  },
  'ssh-private-key-file': {
    found: [['root/.ssh/id_ed25519', pem('OPENSSH PRIVATE KEY')]],
    passed: [
      ['root/.ssh/id_ed25519.pub', 'ssh-ed25519 AAAA'],
      ['etc/id_rsa', 'not a key'],
    ],
  },
  'private-key-file': {
    found: [
      ['etc/nginx/tls/server.key', pem('PRIVATE KEY')],
      ['app/keys/signing.pem', pem('EC PRIVATE KEY')],
    ],
    passed: [['etc/ssl/certs/ca.pem', pem('CERTIFICATE')]],
  },
  'aws-credentials-file': {
    found: [['root/.aws/credentials', `[default]\naws_secret_access_key = ${fake(40, BASE64)}\n`]],
    passed: [['root/.aws/config', '[default]\nregion = eu-west-1\n']],
  },
  'docker-config-with-auths': {
    found: [
      ['root/.docker/config.json', `{"auths":{"r.example.org":{"auth":"${fake(24, BASE64)}"}}}`],
    ],
    passed: [['root/.docker/config.json', '{"credsStore":"desktop","auths":{"r.example.org":{}}}']],
  },
  'npmrc-with-credentials': {
    found: [['home/node/.npmrc', `//r.example.org/:_authToken=${fake(36)}\n`]],
    passed: [['home/node/.npmrc', '//r.example.org/:_authToken=${NPM_TOKEN}\nsave-exact=true\n']],
  },
  'pypirc-with-credentials': {
    found: [['root/.pypirc', `[pypi]\nusername = __token__\npassword = pypi-${fake(40)}\n`]],
    passed: [['root/.pypirc', '[distutils]\nindex-servers = pypi\n']],
  },
  'netrc-with-credentials': {
    found: [['root/.netrc', `machine git.example.org login ci password ${fake(20)}\n`]],
    passed: [['root/.netrc', 'machine git.example.org login ci\n']],
  },
  'dotenv-file': {
    found: [
      ['app/.env', 'DATABASE_URL=postgres://db/app\n'],
      ['app/.env.production', 'export A=1\n'],
    ],
    passed: [
      ['app/.envrc', 'A=1\n'],
      ['app/.env', '# nothing here\n'],
    ],
  },
  kubeconfig: {
    found: [
      [
        'root/.kube/config',
        'apiVersion: v1\nkind: Config\nusers:\n- name: ci\n  user:\n    token: abc\n',
      ],
    ],
    passed: [['root/.kube/config', 'apiVersion: v1\nkind: Config\nclusters: []\n']],
  },
  'shell-history': {
    found: [
      ['root/.bash_history', 'ls\n'],
      ['home/app/.python_history', 'import os\n'],
    ],
    passed: [['root/.bashrc', 'alias ll="ls -l"\n']],
  },
};

const analyze = async (path: string, content: string) => {
  if (!sensitiveFilesAnalyzer.wants(path, { mode: 0o600, size: content.length })) return [];
  const bytes = Buffer.from(content);
  const result = await sensitiveFilesAnalyzer.analyze({
    path,
    bytes,
    truncated: false,
    size: bytes.length,
    read: () => Promise.resolve(bytes),
  });
  return (result.sensitiveFiles ?? []).map((f) => f.rule);
};

describe('sensitive files', () => {
  it('has cases for every rule', () => {
    expect(SENSITIVE_FILE_RULES.map((r) => r.id).filter((id) => !(id in CASES))).toEqual([]);
  });

  describe.each(Object.entries(CASES))('%s', (id, cases) => {
    it.each(cases.found)('reports %s', async (path, content) => {
      expect(await analyze(path, content)).toContain(id);
    });

    it.each(cases.passed)('passes over %s', async (path, content) => {
      expect(await analyze(path, content)).not.toContain(id);
    });
  });
});
