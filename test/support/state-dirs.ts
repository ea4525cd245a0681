import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Ways a local pipeline state directory (`.clearance/pipeline`) goes wrong, each made in
 * `state` before a command reads it: what the table directory `state/dynamodb` then is.
 */
export const BROKEN_STATES: readonly (readonly [string, (state: string) => void, RegExp])[] = [
  [
    'its LevelDB files are garbage',
    (state) => {
      mkdirSync(join(state, 'dynamodb'), { recursive: true });
      writeFileSync(join(state, 'dynamodb', 'CURRENT'), 'garbage\n');
      writeFileSync(join(state, 'dynamodb', 'MANIFEST-000001'), 'not a manifest');
    },
    /cannot be opened: IO error: .*garbage.*; if no other clearance process is using it, delete .*dynamodb to start afresh/,
  ],
  [
    'its tables directory is a file',
    (state) => {
      mkdirSync(state, { recursive: true });
      writeFileSync(join(state, 'dynamodb'), 'x');
    },
    /cannot be opened: .*dynamodb is a file, not a directory; give --state-dir a directory of its own/,
  ],
];

/**
 * A separate process holding the LevelDB lock of `dir` (as a running `clearance pipeline run`
 * would), until `release`.
 */
export async function holdLevelDbLock(dir: string): Promise<{ release(): Promise<void> }> {
  const script = `
    const { Level } = require('node:module').createRequire(require.resolve('dynalite'))('level');
    const db = new Level(process.argv[1]);
    db.open().then(() => process.stdout.write('locked\\n'), (e) => { console.error(e); process.exit(1); });
    process.stdin.on('end', () => db.close().then(() => process.exit(0))).resume();`;
  const child = spawn(process.execPath, ['-e', script, dir], {
    cwd: join(__dirname, '..', '..'),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  await locked(child);
  return {
    release: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin?.end();
      }),
  };
}

function locked(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the lock holder exited with ${code}`)));
  });
}
