import type { SecretRule } from '../rule';

/** Cloud providers: AWS, Google Cloud, Azure, Alibaba, DigitalOcean, IBM-style API keys. */
export const CLOUD_RULES: readonly SecretRule[] = [
  {
    id: 'aws-access-key-id',
    title: 'AWS access key ID',
    severity: 'CRITICAL',
    keywords: ['akia', 'asia', 'abia', 'acca'],
    pattern: /\b(?<secret>(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b/,
  },
  {
    id: 'aws-secret-access-key',
    title: 'AWS secret access key',
    severity: 'CRITICAL',
    keywords: ['secret_access_key', 'secretaccesskey', 'secret-access-key'],
    pattern:
      /(?:aws)?_?secret_?access_?key["']?\s*(?:[:=]|=>)\s*["']?(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/i,
  },
  {
    id: 'aws-mws-key',
    title: 'Amazon Marketplace Web Service key',
    severity: 'HIGH',
    keywords: ['amzn.mws.'],
    pattern:
      /\b(?<secret>amzn\.mws\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/,
  },
  {
    id: 'gcp-api-key',
    title: 'Google API key',
    severity: 'HIGH',
    keywords: ['aiza'],
    pattern: /\b(?<secret>AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/,
  },
  {
    id: 'gcp-service-account',
    title: 'Google Cloud service account key (JSON)',
    severity: 'CRITICAL',
    keywords: ['service_account'],
    pattern:
      /"type"\s*:\s*"service_account"[\s\S]{0,400}?"private_key_id"\s*:\s*"(?<secret>[0-9a-f]{40})"/,
  },
  {
    id: 'gcp-oauth-client-secret',
    title: 'Google OAuth client secret',
    severity: 'HIGH',
    keywords: ['gocspx-'],
    pattern: /\b(?<secret>GOCSPX-[0-9A-Za-z_-]{28})(?![0-9A-Za-z_-])/,
  },
  {
    id: 'azure-storage-account-key',
    title: 'Azure storage account key',
    severity: 'CRITICAL',
    keywords: ['accountkey='],
    pattern: /AccountKey=(?<secret>[A-Za-z0-9+/]{86}==)/,
  },
  {
    id: 'azure-sas-token',
    title: 'Azure shared access signature',
    severity: 'HIGH',
    keywords: ['sig='],
    pattern:
      /\bsv=\d{4}-\d{2}-\d{2}&[^\s"'<>]{0,300}?\bsig=(?<secret>[A-Za-z0-9%/+]{40,}(?:%3D|=){0,2})/,
  },
  {
    id: 'azure-ad-client-secret',
    title: 'Microsoft Entra ID (Azure AD) client secret',
    severity: 'HIGH',
    keywords: ['q~'],
    pattern:
      /(?<![A-Za-z0-9_~.-])(?<secret>[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])/,
  },
  {
    id: 'alibaba-access-key-id',
    title: 'Alibaba Cloud access key ID',
    severity: 'HIGH',
    keywords: ['ltai'],
    pattern: /\b(?<secret>LTAI[A-Za-z0-9]{20})\b/,
  },
  {
    id: 'digitalocean-pat',
    title: 'DigitalOcean personal access token',
    severity: 'HIGH',
    keywords: ['dop_v1_'],
    pattern: /\b(?<secret>dop_v1_[a-f0-9]{64})\b/,
  },
  {
    id: 'digitalocean-oauth-token',
    title: 'DigitalOcean OAuth token',
    severity: 'HIGH',
    keywords: ['doo_v1_', 'dor_v1_'],
    pattern: /\b(?<secret>do[or]_v1_[a-f0-9]{64})\b/,
  },
  {
    id: 'hashicorp-vault-token',
    title: 'HashiCorp Vault service token',
    severity: 'HIGH',
    keywords: ['hvs.'],
    pattern: /\b(?<secret>hvs\.[A-Za-z0-9_-]{90,120})(?![A-Za-z0-9_-])/,
  },
  {
    id: 'terraform-cloud-token',
    title: 'Terraform Cloud / HCP Terraform API token',
    severity: 'HIGH',
    keywords: ['atlasv1'],
    pattern: /\b(?<secret>[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70})(?![A-Za-z0-9_=-])/,
  },
];
