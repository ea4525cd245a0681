import type { EventLog } from './event-log';
import { causeText } from './failure';

/*
 * One line per state as `clearance pipeline run` executes the state machine: what ran, how
 * long it took, and the gist of its output (a layer read or cached, a platform's verdict).
 */

type Json = Record<string, unknown>;

const short = (digest: unknown): string =>
  String(digest)
    .replace(/^sha256:/, '')
    .slice(0, 12);

/** The gist of a state's output, by state name (the names the CDK app gives them). */
const GIST: Record<string, (output: Json) => string> = {
  Resolve: (o) => {
    const skipped = o.skipped as Json | undefined;
    if (skipped !== undefined) return `skipped: ${String(skipped.detail)}`;
    const platforms = (o.platforms as Json[] | undefined) ?? [];
    const layers = platforms.reduce((n, p) => n + ((p.layers as unknown[]) ?? []).length, 0);
    return `${platforms.map((p) => String(p.platform)).join(', ')} (${layers} layers)`;
  },
  AnalyzeLayer: (o) => `${short(o.layer)} ${o.cached === true ? 'cached' : 'read'}`,
  Assemble: (o) => {
    const assembled = o.assembled as Json | undefined;
    return `${String(assembled?.platform)}: ${String(assembled?.packages)} packages`;
  },
  Match: (o) => {
    const matched = o.matched as Json | undefined;
    const counts = (matched?.counts ?? {}) as Record<string, number>;
    const found = Object.entries(counts).filter(([, n]) => n > 0);
    return `${String(matched?.platform)}: ${found.map(([s, n]) => `${n} ${s}`).join(', ') || 'no findings'}`;
  },
  Evaluate: (o) => {
    const gaps = (o.gaps as { kind: string; subject: string }[] | undefined) ?? [];
    const first = gaps[0];
    const incomplete =
      first &&
      `; incomplete: ${first.kind} ${first.subject}${gaps.length > 1 ? ` and ${gaps.length - 1} more` : ''}`;
    return `${String(o.platform)}: ${String(o.decision)}${incomplete ?? ''}`;
  },
  Record: (o) => {
    const record = o.record as Json | undefined;
    const reasons = (record?.reasons as string[] | undefined) ?? [];
    return `${String(record?.decision)}${reasons.length > 0 ? ` (${reasons.join('; ')})` : ''}`;
  },
  Promote: (o) => {
    const promotion = o.promotion as Json | undefined;
    return promotion?.promoted === true
      ? `${String(promotion.repository)}:${String(promotion.tag)}`
      : `not promoted: ${String(promotion?.reason)}`;
  },
  Quarantine: (o) => {
    const tag = (o.quarantine as Json | undefined)?.tag;
    return typeof tag === 'string' ? `blocked, tagged ${tag}` : 'blocked';
  },
  SignVerdict: (o) => {
    const attestation = o.attestation as Json | undefined;
    return `attestation ${short(attestation?.attestation)} signed by key ${short(attestation?.keyId)}`;
  },
};

/** Follows an execution's events and renders the lines worth printing. */
export class ProgressLog {
  private readonly entered = new Map<string, number>();
  /** The cause last printed: a failure rising through the Maps around it is told once. */
  private lastCause = '';

  /** The line for one event, or undefined for events not worth a line. */
  lineOf(event: EventLog): string | undefined {
    switch (event.type) {
      case 'StateEntered':
        this.entered.set(keyOf(event.state.name, event.index), event.timestamp);
        return undefined;
      case 'StateExited':
        return this.exited(event.state.name, event.state.type, event.index, event);
      case 'StateRetried':
        return `  ↻ ${event.state.name}: retry ${event.retry.attempt}`;
      case 'StateFailed':
        return `  ✗ ${event.state.name}: ${event.Error}${this.causeOnce(event.Cause)}`;
      case 'StateCaught':
        return `  ⤷ ${event.state.name}: caught, handing over to ${event.catch.catcher.Next}`;
      case 'ExecutionFailed':
        return `execution failed: ${event.Error}${causeOf(event.Cause)}`;
      default:
        return undefined;
    }
  }

  private causeOnce(cause: unknown): string {
    const text = causeOf(cause);
    if (text === this.lastCause) return '';
    this.lastCause = text;
    return text;
  }

  private exited(
    name: string,
    type: string,
    index: number | undefined,
    event: { timestamp: number; state: { output?: unknown } },
  ): string | undefined {
    if (type !== 'Task' && type !== 'Map') return undefined;
    const started = this.entered.get(keyOf(name, index)) ?? event.timestamp;
    const gist = GIST[name]?.((event.state.output ?? {}) as Json);
    const ms = event.timestamp - started;
    return `  ✓ ${name}${gist === undefined ? '' : `  ${gist}`}  ${ms} ms`;
  }
}

const keyOf = (name: string, index: number | undefined): string => `${name}#${index ?? ''}`;

/** ` — <message>`: a thrown error's code and message, a Lambda error's JSON as its message. */
function causeOf(cause: unknown): string {
  const text = causeText(cause);
  if (text === '') return '';
  return ` — ${text.length > MAX_CAUSE_CHARS ? `${text.slice(0, MAX_CAUSE_CHARS)}…` : text}`;
}

/** Characters of a cause on a progress line. */
const MAX_CAUSE_CHARS = 300;
