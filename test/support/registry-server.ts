/**
 * Real servers on 127.0.0.1 for registry tests: Debian's `docker-registry` (CNCF distribution
 * 2.8), optionally behind htpasswd basic auth, and small `node:http` servers for behaviour a
 * real registry will not show on demand (Bearer tokens, redirects, 503s, lies).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';

export interface RunningServer {
  /** `127.0.0.1:PORT`, as a registry reference names it. */
  readonly host: string;
  stop(): Promise<void>;
}

export interface RegistryServerOptions {
  /** Require these credentials (htpasswd basic auth, realm `local`). */
  readonly auth?: { readonly username: string; readonly password: string };
}

const REGISTRY_BINARY = '/usr/bin/docker-registry';
const START_TIMEOUT_MS = 15_000;
const POLL_INTERVAL_MS = 50;
const STOP_TIMEOUT_MS = 5_000;
const START_ATTEMPTS = 3;

/** Starts `docker-registry serve` on a free port with temporary storage; `stop()` removes it all. */
export async function startRegistry(options: RegistryServerOptions = {}): Promise<RunningServer> {
  const dir = await mkdtemp(join(tmpdir(), 'clearance-registry-'));
  try {
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const child = await launch(dir, port, options);
      if (child !== undefined)
        return { host: `127.0.0.1:${port}`, stop: () => stopRegistry(child, dir) };
      // Another process took the port between our probe and the registry's bind: try another.
      if (attempt >= START_ATTEMPTS)
        throw new Error(`docker-registry did not start: ${await readLog(dir)}`);
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** A `node:http` server on 127.0.0.1 with a random port. */
export async function startServer(
  handler: (request: IncomingMessage, response: ServerResponse) => void | Promise<void>,
): Promise<RunningServer & { readonly url: string }> {
  const server: Server = createServer((request, response) => {
    Promise.resolve(handler(request, response)).catch((error: unknown) => {
      response.destroy(error as Error);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const stop = async (): Promise<void> => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { host: `127.0.0.1:${port}`, url: `http://127.0.0.1:${port}`, stop };
}

async function launch(
  dir: string,
  port: number,
  options: RegistryServerOptions,
): Promise<ChildProcess | undefined> {
  const config = join(dir, 'config.yml');
  const lines = [
    'version: 0.1',
    'log: {level: warn}',
    `storage: {filesystem: {rootdirectory: ${join(dir, 'storage')}}, delete: {enabled: true}}`,
    `http: {addr: 127.0.0.1:${port}}`,
  ];
  if (options.auth !== undefined) {
    const { stdout } = await promisify(execFile)('htpasswd', [
      '-Bbn',
      options.auth.username,
      options.auth.password,
    ]);
    await writeFile(join(dir, 'htpasswd'), stdout);
    lines.push(`auth: {htpasswd: {realm: local, path: ${join(dir, 'htpasswd')}}}`);
  }
  await writeFile(config, `${lines.join('\n')}\n`);
  const log = openSync(join(dir, 'registry.log'), 'w');
  const child = spawn(REGISTRY_BINARY, ['serve', config], { stdio: ['ignore', log, log] });
  closeSync(log);
  const exited = once(child, 'exit').then(() => false);
  const gone = { value: false };
  void exited.then(() => (gone.value = true));
  try {
    return (await Promise.race([waitUntilServing(port, gone), exited])) ? child : undefined;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

/** Polls `/v2/` until it answers 200 or 401, or the process is gone. */
async function waitUntilServing(port: number, gone: { value: boolean }): Promise<boolean> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline && !gone.value) {
    const status = await fetch(`http://127.0.0.1:${port}/v2/`).then(
      async (r) => {
        await r.body?.cancel();
        return r.status;
      },
      () => 0,
    );
    if (status === 200 || status === 401) return true;
    await delay(POLL_INTERVAL_MS);
  }
  if (gone.value) return false;
  throw new Error(
    `docker-registry on port ${port} did not answer /v2/ within ${START_TIMEOUT_MS} ms`,
  );
}

async function stopRegistry(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
  await rm(dir, { recursive: true, force: true });
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function readLog(dir: string): Promise<string> {
  return readFile(join(dir, 'registry.log'), 'utf8').catch(() => '(no log)');
}
