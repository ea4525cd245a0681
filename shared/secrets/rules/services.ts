import type { SecretRule } from '../rule';

/** Messaging, payments, e-mail, AI and commerce services. */
export const SERVICE_RULES: readonly SecretRule[] = [
  {
    id: 'slack-token',
    title: 'Slack token',
    severity: 'HIGH',
    keywords: ['xoxa-', 'xoxb-', 'xoxp-', 'xoxo-', 'xoxs-', 'xoxr-'],
    pattern: /\b(?<secret>xox[abposr]-(?:\d+-){1,3}[0-9A-Za-z-]{8,})(?![0-9A-Za-z-])/,
  },
  {
    id: 'slack-app-token',
    title: 'Slack app-level token',
    severity: 'HIGH',
    keywords: ['xapp-'],
    pattern: /\b(?<secret>xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+)\b/,
  },
  {
    id: 'slack-webhook-url',
    title: 'Slack incoming webhook URL',
    severity: 'HIGH',
    keywords: ['hooks.slack.com'],
    pattern:
      /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/(?<secret>[A-Za-z0-9]{8,12}\/[A-Za-z0-9]{8,12}\/[A-Za-z0-9]{20,})/,
  },
  {
    id: 'discord-webhook-url',
    title: 'Discord webhook URL',
    severity: 'MEDIUM',
    keywords: ['discord.com/api/webhooks', 'discordapp.com/api/webhooks'],
    pattern:
      /https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d+\/(?<secret>[A-Za-z0-9_-]{60,70})/,
  },
  {
    id: 'telegram-bot-token',
    title: 'Telegram bot token',
    severity: 'MEDIUM',
    keywords: [':aa'],
    pattern: /(?<!\d)(?<secret>\d{8,10}:AA[0-9A-Za-z_-]{33})(?![0-9A-Za-z_-])/,
  },
  {
    id: 'stripe-secret-key',
    title: 'Stripe live secret key',
    severity: 'CRITICAL',
    keywords: ['sk_live_'],
    pattern: /\b(?<secret>sk_live_[0-9A-Za-z]{24,99})\b/,
  },
  {
    id: 'stripe-restricted-key',
    title: 'Stripe live restricted key',
    severity: 'HIGH',
    keywords: ['rk_live_'],
    pattern: /\b(?<secret>rk_live_[0-9A-Za-z]{24,99})\b/,
  },
  {
    id: 'square-access-token',
    title: 'Square access token',
    severity: 'HIGH',
    keywords: ['sq0atp-', 'eaaa'],
    pattern: /\b(?<secret>sq0atp-[0-9A-Za-z_-]{22}|EAAA[A-Za-z0-9_+=-]{60})(?![0-9A-Za-z_+=-])/,
  },
  {
    id: 'square-oauth-secret',
    title: 'Square OAuth application secret',
    severity: 'HIGH',
    keywords: ['sq0csp-'],
    pattern: /\b(?<secret>sq0csp-[0-9A-Za-z_-]{43})(?![0-9A-Za-z_-])/,
  },
  {
    id: 'shopify-access-token',
    title: 'Shopify access token',
    severity: 'HIGH',
    keywords: ['shpat_', 'shpca_', 'shppa_'],
    pattern: /\b(?<secret>shp(?:at|ca|pa)_[a-fA-F0-9]{32})\b/,
  },
  {
    id: 'shopify-shared-secret',
    title: 'Shopify app shared secret',
    severity: 'HIGH',
    keywords: ['shpss_'],
    pattern: /\b(?<secret>shpss_[a-fA-F0-9]{32})\b/,
  },
  {
    id: 'twilio-api-key',
    title: 'Twilio API key',
    severity: 'HIGH',
    keywords: ['twilio'],
    pattern: /twilio[\s\S]{0,80}?\b(?<secret>SK[0-9a-fA-F]{32})\b/i,
  },
  {
    id: 'twilio-auth-token',
    title: 'Twilio auth token',
    severity: 'HIGH',
    keywords: ['twilio'],
    pattern:
      /twilio[\w.-]{0,20}?_?(?:auth)?_?token["']?\s*(?:[:=]|=>)\s*["']?(?<secret>[0-9a-f]{32})\b/i,
  },
  {
    id: 'sendgrid-api-key',
    title: 'SendGrid API key',
    severity: 'HIGH',
    keywords: ['sg.'],
    pattern: /\b(?<secret>SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/,
  },
  {
    id: 'mailgun-api-key',
    title: 'Mailgun API key',
    severity: 'HIGH',
    keywords: ['mailgun'],
    pattern: /mailgun[\s\S]{0,80}?\b(?<secret>key-[0-9a-f]{32})\b/i,
  },
  {
    id: 'mailchimp-api-key',
    title: 'Mailchimp API key',
    severity: 'HIGH',
    keywords: ['-us'],
    pattern: /\b(?<secret>[0-9a-f]{32}-us\d{1,2})\b/,
  },
  {
    id: 'openai-api-key',
    title: 'OpenAI API key',
    severity: 'CRITICAL',
    keywords: ['t3blbkfj'],
    pattern:
      /\b(?<secret>sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,})(?![A-Za-z0-9_-])/,
  },
  {
    id: 'anthropic-api-key',
    title: 'Anthropic API key',
    severity: 'CRITICAL',
    keywords: ['sk-ant-'],
    pattern: /\b(?<secret>sk-ant-(?:api|admin)\d\d-[A-Za-z0-9_-]{80,100})(?![A-Za-z0-9_-])/,
  },
  {
    id: 'huggingface-token',
    title: 'Hugging Face access token',
    severity: 'HIGH',
    keywords: ['hf_'],
    pattern: /\b(?<secret>hf_[A-Za-z]{34})\b/,
  },
  {
    id: 'heroku-api-key',
    title: 'Heroku API key',
    severity: 'HIGH',
    keywords: ['heroku'],
    pattern:
      /heroku[\w.-]{0,20}["']?\s*(?:[:=]|=>)\s*["']?(?<secret>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/i,
  },
  {
    id: 'heroku-api-key-v2',
    title: 'Heroku API key',
    severity: 'HIGH',
    keywords: ['hrku-'],
    pattern: /\b(?<secret>HRKU-AA[0-9A-Za-z_-]{58})(?![0-9A-Za-z_-])/,
  },
  {
    id: 'datadog-api-key',
    title: 'Datadog API key',
    severity: 'HIGH',
    keywords: ['datadog', 'dd_api_key', 'dd-api-key'],
    pattern:
      /(?:datadog|dd)[\w.-]{0,20}?api[_-]?key["']?\s*(?:[:=]|=>)\s*["']?(?<secret>[0-9a-f]{32})\b/i,
  },
  {
    id: 'datadog-app-key',
    title: 'Datadog application key',
    severity: 'HIGH',
    keywords: ['datadog', 'dd_app_key', 'dd-app-key', 'dd_application_key'],
    pattern:
      /(?:datadog|dd)[\w.-]{0,20}?app(?:lication)?[_-]?key["']?\s*(?:[:=]|=>)\s*["']?(?<secret>[0-9a-f]{40})\b/i,
  },
  {
    id: 'facebook-access-token',
    title: 'Facebook access token',
    severity: 'HIGH',
    keywords: ['eaacedeose0cba'],
    pattern: /\b(?<secret>EAACEdEose0cBA[0-9A-Za-z]+)\b/,
  },
  {
    id: 'discord-bot-token',
    title: 'Discord bot token',
    severity: 'HIGH',
    keywords: ['discord'],
    pattern:
      /discord[\w.-]{0,20}["']?\s*(?:[:=]|=>)\s*["']?(?<secret>[MN][A-Za-z\d]{23,25}\.[\w-]{6}\.[\w-]{27,38})/i,
  },
];
