import type { SecretRule } from '../rule';
import { CLOUD_RULES } from './cloud';
import { GENERIC_RULES } from './generic';
import { KEY_RULES } from './keys';
import { REGISTRY_RULES } from './registries';
import { SERVICE_RULES } from './services';
import { DEVELOPER_RULES } from './developer';

/** Every built-in secret rule, in one list. */
export const SECRET_RULES: readonly SecretRule[] = [
  ...CLOUD_RULES,
  ...DEVELOPER_RULES,
  ...SERVICE_RULES,
  ...KEY_RULES,
  ...REGISTRY_RULES,
  ...GENERIC_RULES,
];
