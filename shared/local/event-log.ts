import type { StateMachine } from 'aws-local-stepfunctions';

/** An execution event (the library does not export its type). */
export type EventLog =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;
