import type { ImageCheck } from '../check';
import { addInsteadOfCopy, addRemoteUrl } from './add';
import { notMinimal, packageManagerCache } from './files';
import { healthcheckMissing } from './healthcheck';
import { imageSize, osEndOfLife } from './image';
import { sshPortExposed, sudoInRun } from './run-lines';
import { secretsInEnv } from './secrets-in-env';
export { secretValue } from './secrets-in-env';
import { setuidFiles } from './setuid';
import { baseImageNotPinned, latestTag } from './tag';
import { updateAlone } from './update-alone';
import { userRoot } from './user-root';

/** Every built-in image check, in one list, in report order. */
export const IMAGE_CHECKS: readonly ImageCheck[] = [
  userRoot,
  healthcheckMissing,
  updateAlone,
  setuidFiles,
  addInsteadOfCopy,
  addRemoteUrl,
  secretsInEnv,
  latestTag,
  baseImageNotPinned,
  sudoInRun,
  packageManagerCache,
  sshPortExposed,
  notMinimal,
  osEndOfLife,
  imageSize,
];
