import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import {
  DynamoDbVerdictStore,
  IMAGES_TABLE_ATTRIBUTES,
  IMAGES_TABLE_KEY_SCHEMA,
} from '../../aws/dynamodb';
import { S3ObjectStore } from '../../aws/s3';
import { isObject, parseJson } from '../../core';
import { DOCKER_HUB } from '../../image';
import { LOCAL_LAYOUT, LOCAL_TABLES, startLocalDynamoDb } from '../../local';
import { DirectoryObjectStore, type ObjectStore } from '../../objects';
import { readReport, type StoredVerdict, type VerdictStore } from '../../pipeline';
import type { ImageFacts, ImageFactsSource } from '../../posture';
import type { ScanReport } from '../../scan';
import { UsageError } from '../errors';

/** `--verdicts`, `--verdicts-table`, `--image-report`: where `posture` learns the images' verdicts. */
export interface VerdictFlags {
  readonly verdicts?: string;
  readonly verdictsTable?: string;
  readonly reportsBucket?: string;
  readonly region?: string;
  readonly imageReport?: string[];
}

export interface OpenFactsSource {
  readonly source: ImageFactsSource | undefined;
  close(): Promise<void>;
}

const RANK: Readonly<Record<ImageFacts['verdict'], number>> = {
  fail: 3,
  unknown: 2,
  warn: 1,
  pass: 0,
};

/**
 * The verdict source the flags name, if any: the local pipeline's state (its images table and
 * reports), the deployed images table (and reports bucket), or saved scan reports.
 */
export async function openFactsSource(flags: VerdictFlags): Promise<OpenFactsSource> {
  const given = [flags.verdicts, flags.verdictsTable, flags.imageReport].filter(
    (f) => f !== undefined,
  );
  if (given.length > 1)
    throw new UsageError(
      'give one verdict source: --verdicts DIR, --verdicts-table NAME or --image-report FILE',
    );
  if (flags.imageReport !== undefined)
    return { source: await reportSource(flags.imageReport), close: () => Promise.resolve() };
  if (flags.verdictsTable !== undefined) {
    const region = flags.region === undefined ? {} : { region: flags.region };
    const dynamodb = new DynamoDBClient(region);
    const s3 = new S3Client(region);
    const store = new DynamoDbVerdictStore({ client: dynamodb, tableName: flags.verdictsTable });
    const objects =
      flags.reportsBucket === undefined
        ? undefined
        : new S3ObjectStore({ client: s3, bucket: flags.reportsBucket });
    return {
      source: storeSource(`table ${flags.verdictsTable}`, store, objects),
      close: () => {
        dynamodb.destroy();
        s3.destroy();
        return Promise.resolve();
      },
    };
  }
  if (flags.verdicts === undefined) return { source: undefined, close: () => Promise.resolve() };
  const tables = join(flags.verdicts, LOCAL_LAYOUT.dynamodb);
  if (!existsSync(tables))
    throw new UsageError(
      `--verdicts ${flags.verdicts}: no local pipeline state there (run "clearance pipeline run" first)`,
    );
  const dynamodb = await startLocalDynamoDb(tables, [
    {
      name: LOCAL_TABLES.images,
      keySchema: IMAGES_TABLE_KEY_SCHEMA,
      attributes: IMAGES_TABLE_ATTRIBUTES,
    },
  ]);
  const store = new DynamoDbVerdictStore({
    client: dynamodb.client,
    tableName: LOCAL_TABLES.images,
  });
  const objects = new DirectoryObjectStore(join(flags.verdicts, LOCAL_LAYOUT.objects));
  return {
    source: storeSource(`local state ${flags.verdicts}`, store, objects),
    close: () => dynamodb.close(),
  };
}

/** Verdicts from a VerdictStore: by digest, else by repository and tag; facts from the stored report. */
function storeSource(
  name: string,
  store: VerdictStore,
  objects: ObjectStore | undefined,
): ImageFactsSource {
  return {
    name,
    async lookup({ registry, repository, tag, digests }) {
      const found: StoredVerdict[] = [];
      for (const digest of digests) {
        const verdict = await store.verdictOf(digest);
        if (verdict !== undefined) found.push(verdict);
      }
      if (found.length === 0 && digests.length === 0)
        for (const name of repositoryNames(registry, repository)) {
          const verdict = await store.lastVerdictOf(name, tag);
          if (verdict !== undefined) {
            found.push(verdict);
            break;
          }
        }
      // A digest running that nobody checked is unknown, whatever its siblings' verdicts.
      if (found.length === 0 || found.length < digests.length)
        return { verdict: 'unknown', source: name };
      const worst = found.reduce((a, b) => (RANK[b.decision] > RANK[a.decision] ? b : a));
      const report = objects && (await storedReport(objects, worst));
      return {
        verdict: worst.decision,
        digest: worst.digest,
        source: name,
        ...(report && imageChecks(report)),
      };
    },
  };
}

/**
 * The names a repository may be recorded under: the ECR repository name (`team/app`), the
 * name as a Docker Hub image is written (`app` for `library/app`: the local pipeline's `oci:app`),
 * and with its registry.
 */
function repositoryNames(registry: string, repository: string): string[] {
  const hub = registry === DOCKER_HUB ? [repository.replace(/^library\//, '')] : [];
  return [...new Set([repository, ...hub, `${registry}/${repository}`])];
}

async function storedReport(
  objects: ObjectStore,
  verdict: StoredVerdict,
): Promise<ScanReport | undefined> {
  const key = verdict.platforms[0]?.reportKey;
  if (key === undefined) return undefined;
  try {
    return await readReport(objects, key);
  } catch {
    // The verdict stands without the report: the user and health checks then stay unknown.
    return undefined;
  }
}

/** What the image's own checks say of its user and HEALTHCHECK. */
function imageChecks(
  report: Pick<ScanReport, 'checks'>,
): Pick<ImageFacts, 'runsAsRoot' | 'healthCheck'> {
  const status = (id: string) => report.checks?.find((c) => c.id === id)?.status;
  const user = status('user-root');
  const health = status('healthcheck-missing');
  return {
    ...(user === 'pass' || user === 'fail' ? { runsAsRoot: user === 'fail' } : {}),
    ...(health === 'pass' || health === 'fail' ? { healthCheck: health === 'pass' } : {}),
  };
}

/** Saved `clearance scan --format json` reports, matched by digest, else by repository and tag. */
async function reportSource(files: readonly string[]): Promise<ImageFactsSource> {
  const reports: { file: string; report: ScanReport }[] = [];
  for (const file of files) {
    const json = parseJson(await readFile(file));
    if ('reason' in json) throw new UsageError(`--image-report ${file}: ${json.reason}`);
    const value = json.value;
    const platforms = isObject(value) && Array.isArray(value.platforms) ? value.platforms : [value];
    for (const report of platforms) {
      if (!isObject(report) || !isObject(report.image) || typeof report.image.digest !== 'string')
        throw new UsageError(
          `--image-report ${file}: not a report of clearance scan --format json`,
        );
      reports.push({ file, report: report as unknown as ScanReport });
    }
  }
  return {
    name: files.join(', '),
    lookup({ repository, tag, digests }) {
      const byDigest = reports.filter(({ report }) =>
        digests.some((d) => d === report.image.digest || d === report.image.manifestDigest),
      );
      const byName =
        digests.length > 0
          ? []
          : reports.filter(({ report }) => {
              const reference = report.image.reference;
              return (
                reference.includes(repository) &&
                (tag === undefined || reference.endsWith(`:${tag}`))
              );
            });
      const match = byDigest[0] ?? byName[0];
      if (match === undefined)
        return Promise.resolve({ verdict: 'unknown', source: files.join(', ') });
      return Promise.resolve({
        verdict: match.report.verdict?.decision ?? 'unknown',
        digest: match.report.image.digest,
        source: match.file,
        ...imageChecks(match.report),
      });
    },
  };
}
