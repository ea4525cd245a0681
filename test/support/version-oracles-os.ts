import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The operating-system package managers' own version comparisons, run in bulk, for
 * differential tests of the dpkg and rpm schemes; and a seeded generator for their inputs.
 * scripts/install-test-tools.sh (npm's `pretest`) installs the tools.
 */

export type Order = -1 | 0 | 1;
export type Pair = readonly [string, string];

/** Fails, rather than skips, when a reference implementation is missing. */
export function requireTool(command: string): void {
  const found = spawnSync('sh', ['-c', 'command -v "$0"', command]).status === 0;
  if (!found)
    throw new Error(
      `"${command}" is not installed, and the differential tests compare against it: install it ` +
        '(bash scripts/install-test-tools.sh, which `npm test` runs first) and run again',
    );
}

/** dpkg's answer as exit status: 0 true, 1 false, 2 a version it refuses (its `ohshit`). */
const DPKG_ACCEPTS = `
while IFS= read -r -d '' v; do
  dpkg --compare-versions -- "$v" eq "$v" 2>/dev/null; echo $?
done < "$1"`;
const DPKG_ORDERS = `
while IFS= read -r -d '' a && IFS= read -r -d '' b; do
  dpkg --compare-versions -- "$a" lt "$b" 2>/dev/null; r=$?
  case $r in
    0) echo -1 ;;
    1) if dpkg --compare-versions -- "$a" gt "$b" 2>/dev/null; then echo 1; else echo 0; fi ;;
    *) echo "status $r" ;;
  esac
done < "$1"`;

/** Whether `dpkg --compare-versions` accepts each version (it only warns about some). */
export async function dpkgAccepts(versions: readonly string[]): Promise<boolean[]> {
  const answers = await inParallel(
    versions.map((v) => [v]),
    DPKG_ACCEPTS,
  );
  return answers.map((answer, i) => {
    if (answer !== '0' && answer !== '2')
      throw new Error(`dpkg answered "${answer}" for "${versions[i]}"`);
    return answer === '0';
  });
}

/** `dpkg --compare-versions` of each pair, both of which dpkg must accept. */
export async function dpkgOrders(pairs: readonly Pair[]): Promise<Order[]> {
  const answers = await inParallel(pairs, DPKG_ORDERS);
  return answers.map((answer, i) => {
    if (!['-1', '0', '1'].includes(answer))
      throw new Error(`dpkg answered "${answer}" for ${JSON.stringify(pairs[i])}`);
    return Number(answer) as Order;
  });
}

/** Spawning dpkg per comparison is the cost: one bash loop per CPU over a share of the records. */
async function inParallel(records: readonly (readonly string[])[], script: string) {
  const shares = Math.max(1, Math.min(availableParallelism(), 8));
  const size = Math.ceil(records.length / shares);
  const dir = mkdtempSync(join(tmpdir(), 'clearance-dpkg-'));
  try {
    const outputs = await Promise.all(
      Array.from({ length: shares }, async (_, share) => {
        const file = join(dir, `records-${share}`);
        const mine = records.slice(share * size, (share + 1) * size);
        writeFileSync(file, mine.map((fields) => fields.map((f) => `${f}\0`).join('')).join(''));
        const { stdout } = await promisify(execFile)('bash', ['-c', script, 'oracle', file], {
          maxBuffer: 64 * 1024 * 1024,
        });
        return stdout.split('\n').slice(0, mine.length);
      }),
    );
    const answers = outputs.flat();
    if (answers.length !== records.length)
      throw new Error(`dpkg gave ${answers.length} answers for ${records.length} questions`);
    return answers;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * rpm's `rpm.vercmp` (rpmverCmp over parseEVR, the comparison rpm itself uses for EVRs) of each
 * pair, in one rpm process running a Lua loop over a file of tab-separated pairs.
 */
export function rpmOrders(pairs: readonly Pair[]): Order[] {
  const dir = mkdtempSync(join(tmpdir(), 'clearance-rpm-'));
  try {
    const [input, output, script] = ['pairs', 'orders', 'oracle.lua'].map((f) => join(dir, f));
    if (pairs.some(([a, b]) => /[\t\n]/.test(a + b)))
      throw new Error('a pair holds a tab or newline');
    writeFileSync(input!, pairs.map(([a, b]) => `${a}\t${b}\n`).join(''));
    writeFileSync(
      script!,
      `local out = assert(io.open(${JSON.stringify(output)}, "w"))
for line in io.lines(${JSON.stringify(input)}) do
  local a, b = line:match("^([^\\t]*)\\t([^\\t]*)$")
  out:write(tostring(rpm.vercmp(a, b)), "\\n")
end
out:close()`,
    );
    const run = spawnSync('rpm', ['--eval', `%{lua: dofile(${JSON.stringify(script)})}`], {
      encoding: 'utf8',
    });
    const answers = readFileSync(output!, 'utf8').split('\n').slice(0, -1);
    if (run.status !== 0 || answers.length !== pairs.length)
      throw new Error(`rpm gave ${answers.length} answers for ${pairs.length}: ${run.stderr}`);
    return answers.map((answer) => Math.sign(Number(answer)) as Order);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A deterministic source of choices (mulberry32), so that a failing input can be replayed. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, below). */
  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** A copy of `items` in a random order (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  }

  /** One edit of `text`: a character inserted, removed or replaced (from `alphabet`), or a number bumped. */
  mutate(text: string, alphabet: string): string {
    const at = this.int(text.length + 1);
    const char = this.pick([...alphabet]);
    switch (this.int(4)) {
      case 0:
        return text.slice(0, at) + char + text.slice(at);
      case 1:
        return text.slice(0, at) + text.slice(at + 1);
      case 2:
        return text.slice(0, at) + char + text.slice(at + 1);
      default:
        return text.replace(/[0-9]+/g, (n) => (this.chance(0.3) ? String(BigInt(n) + 1n) : n));
    }
  }
}
