import { signScanVerdict, type SignVerdictDeps } from '../../shared/pipeline/sign-verdict';
import { stepHandler } from '../../shared/pipeline/step-handler';
import { RecordedScan } from '../../shared/pipeline/states';

/**
 * The SignVerdict state: the recorded verdict signed as an in-toto statement about the image
 * digest and attached to the image as an OCI referrer → `{keyId, attestation}`.
 */
export function signVerdictHandler(deps: SignVerdictDeps) {
  return stepHandler('SignVerdict', RecordedScan, (input) => signScanVerdict(input, deps));
}
