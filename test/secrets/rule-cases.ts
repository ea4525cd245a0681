import { BASE64, HEX, LETTERS, UPPER_ALNUM, URLSAFE, fake, pem, uuid } from './examples';

/** What a rule must find, and near misses it must not. */
export interface RuleCase {
  readonly matches: readonly string[];
  readonly misses: readonly string[];
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const npmrc = (key: string, value: string) => `//registry.example.org/:${key}=${value}\n`;

/** Per rule id: examples in the context they are found in. */
export const RULE_CASES: Readonly<Record<string, RuleCase>> = {
  'aws-access-key-id': {
    matches: [`aws_access_key_id = AKIA${fake(16, B32)}`, `"ASIA${fake(16, B32)}"`],
    misses: [`AKIA${fake(15, B32)}`, `XAKIA${fake(16, B32)}`, `akia${fake(16, B32).toLowerCase()}`],
  },
  'aws-secret-access-key': {
    matches: [
      `aws_secret_access_key = ${fake(40, BASE64)}`,
      `AWS_SECRET_ACCESS_KEY="${fake(40, BASE64)}"`,
    ],
    misses: [
      `aws_secret_access_key = ${fake(39, BASE64)}`,
      `secret_access_key = ${fake(41, BASE64)}`,
    ],
  },
  'aws-mws-key': {
    matches: [`amzn.mws.${uuid()}`],
    misses: [`amzn.mws.${fake(8, HEX)}`],
  },
  'gcp-api-key': {
    matches: [`key=AIza${fake(35, URLSAFE)}&q=1`],
    misses: [`AIza${fake(34, URLSAFE)}`],
  },
  'gcp-service-account': {
    matches: [
      `{\n  "type": "service_account",\n  "project_id": "p",\n  "private_key_id": "${fake(40, HEX)}",\n}`,
    ],
    misses: [`{"type": "authorized_user", "private_key_id": "${fake(40, HEX)}"}`],
  },
  'gcp-oauth-client-secret': {
    matches: [`client_secret: GOCSPX-${fake(28, URLSAFE)}`],
    misses: [`GOCSPX-${fake(20, URLSAFE)}`],
  },
  'azure-storage-account-key': {
    matches: [`DefaultEndpointsProtocol=https;AccountName=a;AccountKey=${fake(86, BASE64)}==;`],
    misses: [`AccountKey=${fake(40, BASE64)}==`],
  },
  'azure-sas-token': {
    matches: [
      `https://a.blob.core.windows.net/c?sv=2022-11-02&ss=b&sp=r&sig=${fake(43, BASE64)}%3D`,
    ],
    misses: [`https://a.example/?sig=${fake(43, BASE64)}`],
  },
  'azure-ad-client-secret': {
    matches: [`AZURE_CLIENT_SECRET=${fake(3, LETTERS)}8Q~${fake(34, LETTERS)}`],
    misses: [`${fake(3, LETTERS)}8Q~${fake(10, LETTERS)}`],
  },
  'alibaba-access-key-id': {
    matches: [`LTAI${fake(20)}`],
    misses: [`LTAI${fake(12)}`],
  },
  'digitalocean-pat': { matches: [`dop_v1_${fake(64, HEX)}`], misses: [`dop_v1_${fake(63, HEX)}`] },
  'digitalocean-oauth-token': {
    matches: [`doo_v1_${fake(64, HEX)}`, `dor_v1_${fake(64, HEX)}`],
    misses: [`dox_v1_${fake(64, HEX)}`],
  },
  'hashicorp-vault-token': {
    matches: [`VAULT_TOKEN=hvs.${fake(95, URLSAFE)}`],
    misses: [`hvs.${fake(24, URLSAFE)}`],
  },
  'terraform-cloud-token': {
    matches: [`token = "${fake(14)}.atlasv1.${fake(67, URLSAFE)}"`],
    misses: [`${fake(14)}.atlasv1.${fake(20)}`],
  },
  'github-pat': { matches: [`ghp_${fake(36)}`], misses: [`ghp_${fake(35)}`, `ghp_${fake(37)}`] },
  'github-fine-grained-pat': {
    matches: [`github_pat_${fake(82, `${LETTERS}0123456789_`)}`],
    misses: [`github_pat_${fake(40)}`],
  },
  'github-oauth-token': { matches: [`gho_${fake(36)}`], misses: [`gho_${fake(30)}`] },
  'github-app-token': {
    matches: [`ghu_${fake(36)}`, `ghs_${fake(36)}`],
    misses: [`ghx_${fake(36)}`],
  },
  'github-refresh-token': { matches: [`ghr_${fake(76)}`], misses: [`ghr_${fake(20)}`] },
  'gitlab-pat': { matches: [`glpat-${fake(20, URLSAFE)}`], misses: [`glpat-${fake(12)}`] },
  'gitlab-pipeline-trigger-token': {
    matches: [`glptt-${fake(40, HEX)}`],
    misses: [`glptt-${fake(39, HEX)}`],
  },
  'gitlab-runner-token': { matches: [`glrt-${fake(20, URLSAFE)}`], misses: [`glrt-${fake(10)}`] },
  'atlassian-api-token': {
    matches: [`ATATT3${fake(186, URLSAFE)}`],
    misses: [`ATATT3${fake(40, URLSAFE)}`],
  },
  'linear-api-key': { matches: [`lin_api_${fake(40)}`], misses: [`lin_api_${fake(30)}`] },
  'postman-api-key': {
    matches: [`PMAK-${fake(24, HEX)}-${fake(34, HEX)}`],
    misses: [`PMAK-${fake(24, HEX)}`],
  },
  'pulumi-access-token': { matches: [`pul-${fake(40, HEX)}`], misses: [`pul-${fake(20, HEX)}`] },
  'doppler-token': { matches: [`dp.pt.${fake(43)}`], misses: [`dp.pt.${fake(20)}`] },
  'sentry-auth-token': {
    matches: [`sntrys_eyJ${fake(100, URLSAFE)}`],
    misses: [`sntrys_${fake(40)}`],
  },
  'grafana-cloud-token': { matches: [`glc_${fake(48)}==`], misses: [`glc_${fake(12)}`] },
  'grafana-service-account-token': {
    matches: [`glsa_${fake(32)}_${fake(8, HEX)}`],
    misses: [`glsa_${fake(32)}`],
  },
  'dynatrace-api-token': {
    matches: [`dt0c01.${fake(24, UPPER_ALNUM)}.${fake(64, UPPER_ALNUM)}`],
    misses: [`dt0c01.${fake(24, UPPER_ALNUM)}`],
  },
  'new-relic-user-api-key': {
    matches: [`NRAK-${fake(27, UPPER_ALNUM)}`],
    misses: [`NRAK-${fake(10, UPPER_ALNUM)}`],
  },
  'slack-token': {
    matches: [`xoxb-${fake(12, '0123456789')}-${fake(13, '0123456789')}-${fake(24)}`],
    misses: ['xoxb-', `xoxz-${fake(12, '0123456789')}-${fake(24)}`],
  },
  'slack-app-token': {
    matches: [`xapp-1-A${fake(10, UPPER_ALNUM)}-${fake(13, '0123456789')}-${fake(64, HEX)}`],
    misses: ['xapp-1-'],
  },
  'slack-webhook-url': {
    matches: [
      `https://hooks.slack.com/services/T${fake(8, UPPER_ALNUM)}/B${fake(8, UPPER_ALNUM)}/${fake(24)}`,
    ],
    misses: ['https://hooks.slack.com/services/'],
  },
  'discord-webhook-url': {
    matches: [`https://discord.com/api/webhooks/${fake(18, '0123456789')}/${fake(68, URLSAFE)}`],
    misses: ['https://discord.com/api/webhooks/123/abc'],
  },
  'telegram-bot-token': {
    matches: [`bot${fake(9, '0123456789')}:AA${fake(33, URLSAFE)}`],
    misses: [`${fake(9, '0123456789')}:AB${fake(33, URLSAFE)}`],
  },
  'stripe-secret-key': { matches: [`sk_live_${fake(24)}`], misses: [`sk_test_${fake(24)}`] },
  'stripe-restricted-key': { matches: [`rk_live_${fake(24)}`], misses: [`rk_test_${fake(24)}`] },
  'square-access-token': {
    matches: [`sq0atp-${fake(22, URLSAFE)}`, `EAAA${fake(60)}`],
    misses: [`sq0atp-${fake(10)}`],
  },
  'square-oauth-secret': {
    matches: [`sq0csp-${fake(43, URLSAFE)}`],
    misses: [`sq0csp-${fake(10)}`],
  },
  'shopify-access-token': {
    matches: [`shpat_${fake(32, HEX)}`, `shpca_${fake(32, HEX)}`, `shppa_${fake(32, HEX)}`],
    misses: [`shpat_${fake(31, HEX)}`],
  },
  'shopify-shared-secret': {
    matches: [`shpss_${fake(32, HEX)}`],
    misses: [`shpss_${fake(20, HEX)}`],
  },
  'twilio-api-key': {
    matches: [`TWILIO_API_KEY=SK${fake(32, HEX)}`],
    misses: [`SK${fake(32, HEX)}`, `TWILIO_API_KEY=SK${fake(31, HEX)}`],
  },
  'twilio-auth-token': {
    matches: [`twilio_auth_token: "${fake(32, HEX)}"`],
    misses: [`auth_token: "${fake(32, HEX)}"`],
  },
  'sendgrid-api-key': {
    matches: [`SG.${fake(22, URLSAFE)}.${fake(43, URLSAFE)}`],
    misses: [`SG.${fake(22, URLSAFE)}`],
  },
  'mailgun-api-key': {
    matches: [`MAILGUN_API_KEY=key-${fake(32, HEX)}`],
    misses: [`key-${fake(32, HEX)}`],
  },
  'mailchimp-api-key': { matches: [`${fake(32, HEX)}-us21`], misses: [`${fake(32, HEX)}-eu21`] },
  'openai-api-key': {
    matches: [`sk-proj-${fake(24, URLSAFE)}T3BlbkFJ${fake(24, URLSAFE)}`],
    misses: [`sk-proj-${fake(48, URLSAFE)}`],
  },
  'anthropic-api-key': {
    matches: [`sk-ant-api03-${fake(93, URLSAFE)}AA`],
    misses: [`sk-ant-api03-${fake(20, URLSAFE)}`],
  },
  'huggingface-token': {
    matches: [`hf_${fake(34, LETTERS)}`],
    misses: [`hf_${fake(20, LETTERS)}`],
  },
  'heroku-api-key': {
    matches: [`HEROKU_API_KEY=${uuid()}`],
    misses: [`API_KEY=${uuid()}`],
  },
  'heroku-api-key-v2': { matches: [`HRKU-AA${fake(58, URLSAFE)}`], misses: [`HRKU-AA${fake(20)}`] },
  'datadog-api-key': {
    matches: [`DD_API_KEY=${fake(32, HEX)}`, `datadog_api_key: "${fake(32, HEX)}"`],
    misses: [`DD_API_KEY=${fake(31, HEX)}`],
  },
  'datadog-app-key': {
    matches: [`DD_APP_KEY=${fake(40, HEX)}`],
    misses: [`DD_APP_KEY=${fake(32, HEX)}`],
  },
  'facebook-access-token': {
    matches: [`EAACEdEose0cBA${fake(40)}`],
    misses: [`EAACEdEose0cBB${fake(40)}`],
  },
  'discord-bot-token': {
    matches: [`DISCORD_TOKEN=M${fake(23)}.${fake(6, URLSAFE)}.${fake(27, URLSAFE)}`],
    misses: [`M${fake(23)}.${fake(6)}.${fake(27)}`],
  },
  'private-key-rsa': {
    matches: [
      pem('RSA PRIVATE KEY'),
      pem('RSA PRIVATE KEY', 'Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00FF\n\n'),
    ],
    misses: [
      '-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----',
      pem('PUBLIC KEY'),
    ],
  },
  'private-key-ec': { matches: [pem('EC PRIVATE KEY')], misses: [pem('EC PARAMETERS')] },
  'private-key-dsa': { matches: [pem('DSA PRIVATE KEY')], misses: [pem('DSA PARAMETERS')] },
  'private-key-openssh': {
    matches: [pem('OPENSSH PRIVATE KEY')],
    misses: [`ssh-ed25519 ${fake(68, BASE64)}`],
  },
  'private-key-pkcs8': { matches: [pem('PRIVATE KEY')], misses: [pem('CERTIFICATE')] },
  'private-key-pkcs8-encrypted': {
    matches: [pem('ENCRYPTED PRIVATE KEY')],
    misses: ['-----BEGIN ENCRYPTED PRIVATE KEY-----'],
  },
  'private-key-pgp': {
    matches: [pem('PGP PRIVATE KEY BLOCK')],
    misses: [pem('PGP PUBLIC KEY BLOCK')],
  },
  'private-key-putty': {
    matches: [
      `PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: k\nPublic-Lines: 1\n${fake(60, BASE64)}\nPrivate-Lines: 2\n${fake(64, BASE64)}\n${fake(20, BASE64)}\nPrivate-MAC: ${fake(40, HEX)}\n`,
    ],
    misses: ['PuTTY-User-Key-File-2: ssh-rsa\n'],
  },
  'age-secret-key': {
    matches: [`AGE-SECRET-KEY-1${fake(58, 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L')}`],
    misses: [`AGE-SECRET-KEY-1${fake(20, 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L')}`],
  },
  jwt: {
    matches: [
      `Authorization: Bearer eyJ${fake(30, URLSAFE)}.eyJ${fake(40, URLSAFE)}.${fake(43, URLSAFE)}`,
    ],
    misses: [`eyJ${fake(30, URLSAFE)}.${fake(40, URLSAFE)}`],
  },
  'npm-access-token': { matches: [`npm_${fake(36)}`], misses: [`npm_${fake(20)}`] },
  'npmrc-auth-token': {
    matches: [npmrc('_authToken', fake(36))],
    misses: [npmrc('_authToken', '${NPM_TOKEN}')],
  },
  'npmrc-auth': {
    matches: [npmrc('_auth', fake(40, BASE64)), npmrc('_password', `${fake(20, BASE64)}==`)],
    misses: [npmrc('_auth', '${NPM_AUTH}')],
  },
  'pypi-upload-token': {
    matches: [`password = pypi-AgEIcHlwaS5vcmc${fake(60, URLSAFE)}`],
    misses: [`pypi-AgEIcHlwaS5vcmc${fake(10)}`],
  },
  'docker-config-auth': {
    matches: [
      `{\n  "auths": {\n    "registry.example.org": {\n      "auth": "${fake(28, BASE64)}="\n    }\n  }\n}`,
    ],
    misses: ['{ "auths": {} }', '{ "credsStore": "desktop" }'],
  },
  'netrc-password': {
    matches: [`machine git.example.org login ci password ${fake(24)}`],
    misses: [
      'machine git.example.org login ci',
      'f"machine {host} login {self.username} password {self.password}"',
      'machine HOSTNAME login USERID password "PASSWORD"',
    ],
  },
  'database-url-password': {
    matches: [
      `DATABASE_URL=postgres://app:${fake(16)}@db.internal:5432/app`,
      `mongodb+srv://root:${fake(12)}@cluster0.example.net/test`,
    ],
    misses: ['postgres://db.internal:5432/app', 'https://user:pass@example.org/'],
  },
  'generic-secret-assignment': {
    matches: [
      `api_key = "${fake(32, BASE64)}"`,
      `DB_PASSWORD='${fake(20)}'`,
      `client_secret: ${fake(40)}`,
    ],
    misses: [
      'password = "correct horse battery"',
      'token = get_token(user)',
      'password: "aaaaaaaaaaaaaaaaaa"',
      'secret = "${SECRET_FROM_ENV}"',
      'self.password = self.prompt_password(realm)',
      'private_key: rsa.RSAPrivateKeyWithSerialization,',
      `token_url = "https://auth.example.org/oauth2/token${fake(8)}"`,
      'authentication-password = /system/gnome/password2',
      'token = Token.Name.Variable3',
    ],
  },
};
