import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';

/*
 * moto's server (`python3 -m moto.server`) on 127.0.0.1, for the AWS APIs it implements on the
 * wire: EventBridge (PutEvents, rules with patterns, SQS targets) and SQS.
 */

const START_TIMEOUT_MS = 20_000;

/** Starts moto before the file's tests and stops it after; the endpoint while it runs. */
export function useMotoServer(): () => string {
  let child: ChildProcess | undefined;
  let endpoint = '';
  beforeAll(async () => {
    const port = await freePort();
    child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
      stdio: 'ignore',
    });
    endpoint = `http://127.0.0.1:${port}`;
    await ready(endpoint, child);
  }, START_TIMEOUT_MS + 5_000);
  afterAll(() => {
    child?.kill();
  });
  return () => endpoint;
}

/** A call of SQS's JSON protocol (moto checks no signature; there is no SQS client here). */
export async function sqs<T>(endpoint: string, action: string, body: object): Promise<T> {
  const response = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `AmazonSQS.${action}`,
      authorization:
        'AWS4-HMAC-SHA256 Credential=test/20260101/eu-west-1/sqs/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`SQS ${action}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function ready(endpoint: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto.server exited with ${child.exitCode}`);
    try {
      await fetch(`${endpoint}/moto-api/`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`moto.server did not answer at ${endpoint} within ${START_TIMEOUT_MS} ms`);
}
