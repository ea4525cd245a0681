import { allowedSecret } from './allow';
import { KeywordAutomaton } from './keywords';
import type { SecretRule } from './rule';

/** A secret found in one text, located by line; the secret itself never leaves this module. */
export interface SecretMatch {
  readonly rule: string;
  readonly title: string;
  readonly severity: SecretRule['severity'];
  /** 1-based line of the match's start. */
  readonly line: number;
  /** The matched text with the secret redacted: what a report may show. */
  readonly match: string;
}

/** Bytes sniffed for a NUL: text files have none, binaries almost always do early on. */
const SNIFF_BYTES = 8192;
/** Characters of context kept around a redacted secret. */
const CONTEXT = 40;
/** Characters of the secret a report shows, at most a quarter of it. */
const SHOWN = 4;
/** Stars standing for the rest of a secret, at most: its length is not worth showing. */
const MAX_STARS = 16;

/**
 * Finds secrets with a set of rules. A keyword automaton reads each text once; only the rules
 * whose keywords occur run their expressions, so a file with no keyword costs one pass.
 */
export class SecretScanner {
  private readonly automaton: KeywordAutomaton;
  /** Per keyword (by index), the rules that name it. */
  private readonly rulesByKeyword: readonly (readonly CompiledRule[])[];

  constructor(rules: readonly SecretRule[]) {
    const keywords = [...new Set(rules.flatMap((rule) => rule.keywords))];
    this.automaton = new KeywordAutomaton(keywords);
    const compiled = rules.map(compile);
    this.rulesByKeyword = keywords.map((keyword) =>
      compiled.filter((rule) => rule.rule.keywords.includes(keyword)),
    );
  }

  /** The secrets in a file's bytes; none in a binary (a NUL in its first 8 KiB). */
  scanBytes(bytes: Buffer): SecretMatch[] {
    if (bytes.subarray(0, SNIFF_BYTES).includes(0)) return [];
    const candidates = this.candidates(bytes);
    return candidates.length === 0 ? [] : findAll(candidates, bytes.toString('latin1'));
  }

  /** The secrets in a text (an environment variable, a history line, a label). */
  scanText(text: string): SecretMatch[] {
    const candidates = this.candidates(Buffer.from(text, 'latin1'));
    return candidates.length === 0 ? [] : findAll(candidates, text);
  }

  private candidates(bytes: Uint8Array): CompiledRule[] {
    const rules = new Set<CompiledRule>();
    for (const keyword of this.automaton.find(bytes))
      for (const rule of this.rulesByKeyword[keyword]!) rules.add(rule);
    return [...rules];
  }
}

interface CompiledRule {
  readonly rule: SecretRule;
  readonly global: RegExp;
}

function compile(rule: SecretRule): CompiledRule {
  const flags = rule.pattern.flags.includes('g') ? rule.pattern.flags : `${rule.pattern.flags}g`;
  return { rule, global: new RegExp(rule.pattern.source, flags) };
}

/** Where one secret is in a text. */
interface Span {
  readonly rule: SecretRule;
  readonly at: number;
  readonly length: number;
}

function findAll(rules: readonly CompiledRule[], text: string): SecretMatch[] {
  const spans: Span[] = [];
  for (const { rule, global } of rules) {
    for (const match of text.matchAll(global)) {
      const secret = secretOf(match);
      if (secret === '' || allowedSecret(secret) !== undefined) continue;
      if (rule.minEntropy !== undefined && entropy(secret) < rule.minEntropy) continue;
      if (rule.shape !== undefined && !rule.shape.test(secret)) continue;
      spans.push({ rule, at: match.index + match[0].indexOf(secret), length: secret.length });
    }
  }
  const specific = spans.filter((span) => span.rule.fallback !== true);
  return spans
    .filter((span) => span.rule.fallback !== true || !specific.some((s) => overlaps(s, span)))
    .map((span) => ({
      rule: span.rule.id,
      title: span.rule.title,
      severity: span.rule.severity,
      line: lineAt(text, span.at),
      match: redacted(text, span, spans),
    }))
    .sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
}

function overlaps(a: Span, b: Span): boolean {
  return a.at < b.at + b.length && b.at < a.at + a.length;
}

/** The first matched `secret…` group, else the whole match. */
function secretOf(match: RegExpExecArray | RegExpMatchArray): string {
  const groups = match.groups ?? {};
  const name = Object.keys(groups).find((key) => key.startsWith('secret') && groups[key]);
  return name === undefined ? match[0] : groups[name]!;
}

/** Shannon entropy in bits per character. */
export function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * The secret's line around it, with every secret found in that stretch cut to its first
 * characters (at most a quarter of each) and stars: enough to recognise it, never enough to use.
 */
function redacted(text: string, span: Span, spans: readonly Span[]): string {
  const lineStart = text.lastIndexOf('\n', span.at - 1) + 1;
  const lineEnd = text.indexOf('\n', span.at + span.length);
  const start = Math.max(lineStart, span.at - CONTEXT);
  const end = Math.min(lineEnd < 0 ? text.length : lineEnd, span.at + span.length + CONTEXT);
  let shown = '';
  let cursor = start;
  const inside = spans
    .filter((s) => s.at < end && s.at + s.length > start)
    .sort((a, b) => a.at - b.at);
  for (const secret of inside) {
    const from = Math.max(secret.at, cursor);
    const to = secret.at + secret.length;
    if (to <= cursor) continue;
    const visible = secret.at >= cursor ? Math.min(SHOWN, Math.floor(secret.length / 4)) : 0;
    shown += text.slice(cursor, from) + text.slice(from, from + visible);
    shown += '*'.repeat(Math.min(to - from - visible, MAX_STARS));
    cursor = to;
  }
  shown += text.slice(cursor, Math.max(cursor, end));
  return shown.trim();
}
