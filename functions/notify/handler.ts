import { NotifyInput, notify, type NotifyDeps } from '../../shared/notify/notify';
import { stepHandler } from '../../shared/pipeline/step-handler';

/** The Notify and NotifyOperations states: a verdict to the alerts topic, a failure to operations. */
export function notifyHandler(deps: NotifyDeps) {
  return stepHandler('Notify', NotifyInput, (input) => notify(input, deps));
}
