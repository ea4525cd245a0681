import type { Analyzer } from '../analyzers';
import type { SecretRule } from './rule';

declare module '../analyzers/analyzer' {
  interface AnalyzerFindings {
    /** The file is one that should not ship in an image. */
    readonly sensitiveFiles: readonly SensitiveFileMatch[];
  }
}

/** A kind of file that should not ship in an image, whatever the rules find inside it. */
export interface SensitiveFileRule {
  readonly id: string;
  readonly title: string;
  readonly severity: SecretRule['severity'];
  /** The file, by path relative to the image root. */
  readonly path: RegExp;
  /** What the file must hold to count (credentials, not just the file's name). */
  readonly content?: RegExp;
}

/** A sensitive file found in one layer. */
export interface SensitiveFileMatch {
  readonly rule: string;
  readonly title: string;
  readonly severity: SecretRule['severity'];
}

const PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/;

/** The built-in list; tests hold a present and an absent case of each. */
export const SENSITIVE_FILE_RULES: readonly SensitiveFileRule[] = [
  {
    id: 'git-repository',
    title: 'Git repository (.git directory): history, remotes, maybe credentials',
    severity: 'MEDIUM',
    path: /(?:^|\/)\.git\/HEAD$/,
  },
  {
    id: 'ssh-private-key-file',
    title: 'SSH private key file',
    severity: 'HIGH',
    path: /(?:^|\/)id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?$/,
    content: /PRIVATE KEY/,
  },
  {
    id: 'private-key-file',
    title: 'Private key in a .pem or .key file',
    severity: 'HIGH',
    path: /\.(?:pem|key)$/,
    content: PRIVATE_KEY,
  },
  {
    id: 'aws-credentials-file',
    title: 'AWS credentials file',
    severity: 'CRITICAL',
    path: /(?:^|\/)\.aws\/credentials$/,
    content: /aws_secret_access_key|aws_session_token/i,
  },
  {
    id: 'docker-config-with-auths',
    title: 'Docker config.json with registry credentials',
    severity: 'CRITICAL',
    path: /(?:^|\/)\.docker\/config\.json$/,
    content: /"auths"\s*:\s*\{[^]*?"(?:auth|identitytoken)"\s*:\s*"[^"]+"/,
  },
  {
    id: 'npmrc-with-credentials',
    title: '.npmrc with registry credentials',
    severity: 'CRITICAL',
    path: /(?:^|\/)\.npmrc$/,
    content: /(?:^|[:\s])_(?:authToken|auth|password)\s*=\s*[^\s$]/m,
  },
  {
    id: 'pypirc-with-credentials',
    title: '.pypirc with an upload password or token',
    severity: 'CRITICAL',
    path: /(?:^|\/)\.pypirc$/,
    content: /^\s*password\s*[:=]\s*\S/m,
  },
  {
    id: 'netrc-with-credentials',
    title: '.netrc with a password',
    severity: 'HIGH',
    path: /(?:^|\/)[._]netrc$/,
    content: /\bpassword\s+\S/,
  },
  {
    id: 'dotenv-file',
    title: 'Environment file (.env): application configuration and its secrets',
    severity: 'MEDIUM',
    path: /(?:^|\/)\.env(?:\.[\w-]+)?$/,
    content: /^\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=/m,
  },
  {
    id: 'kubeconfig',
    title: 'Kubernetes kubeconfig with user credentials',
    severity: 'HIGH',
    path: /(?:^|\/)(?:\.kube\/config|kubeconfig(?:\.ya?ml)?|[\w.-]+\.kubeconfig)$/,
    content: /\busers\s*:[^]*?\b(?:token|client-key-data|password)\s*:/,
  },
  {
    id: 'shell-history',
    title: 'Shell or REPL history: commands typed while building, often with secrets',
    severity: 'MEDIUM',
    path: /(?:^|\/)\.(?:bash|zsh|ash|sh|fish|python|node_repl|mysql|psql|sqlite|rediscli|lesshst)_?history$|(?:^|\/)\.local\/share\/fish\/fish_history$/,
  },
];

/** The rules whose file name `path` has; most paths have none, cheaply. */
export function sensitiveRulesFor(path: string): SensitiveFileRule[] {
  return SENSITIVE_FILE_RULES.filter((rule) => rule.path.test(path));
}

/**
 * Reports the files on the list in every layer, by name and, where a rule says, by content.
 * Any size: a history or a .git HEAD of any length is reported by name; content is judged on
 * the file's first bytes as the engine hands them over.
 */
export const sensitiveFilesAnalyzer: Analyzer = {
  name: 'sensitive-files',
  version: 1,
  wants: (path) => sensitiveRulesFor(path).length > 0,
  analyze(file) {
    const text = file.bytes.toString('latin1');
    const sensitiveFiles = sensitiveRulesFor(file.path)
      .filter((rule) => rule.content === undefined || rule.content.test(text))
      .map((rule) => ({ rule: rule.id, title: rule.title, severity: rule.severity }));
    return { sensitiveFiles };
  },
};
