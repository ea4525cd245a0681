import {
  BatchGetImageCommand,
  paginateDescribeImages,
  paginateDescribeRepositories,
  type ECRClient,
  type ImageDetail,
} from '@aws-sdk/client-ecr';
import type { FleetLister } from '../pipeline/fleet/enumerate';
import { repositoryFilter } from '../pipeline/fleet/repositories';
import type { ImageTarget } from '../pipeline/steps';
import { mapBounded } from './dynamodb-table';
import { awsRequestError } from './errors';

/** Manifest types of a multi-platform image, whose platform manifests ECR lists untagged. */
const INDEX_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);
/** What BatchGetImage may answer with; an index is only returned when its type is accepted. */
const ACCEPTED_TYPES = [
  ...INDEX_TYPES,
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];
/** BatchGetImage takes at most 100 image ids a call. */
const BATCH_SIZE = 100;
/** Repositories listed at once: ECR's DescribeImages allows a few requests a second per account. */
const REPOSITORY_CONCURRENCY = 4;

export interface EcrFleetListerProps {
  /** Created once at module scope by the handler; its region is the registry's. */
  readonly client: ECRClient;
  /** Repository globs (`CLEARANCE_REPOSITORIES`, see `repositoryFilter`); `["*"]` watches all. */
  readonly repositories: readonly string[];
  /**
   * The registry (account id) to list.
   * @default - the account of the client's credentials
   */
  readonly registryId?: string;
}

/**
 * The fleet in Amazon ECR: every repository matching the globs (DescribeRepositories), every
 * active image of each (DescribeImages), by digest with its first tag in sort order.
 *
 * The untagged platform manifests of a multi-platform image (and its attestation manifests) are
 * left out: ScanImage resolves the index into its platforms, so the index's item scans them, and
 * each one's own item would only repeat that work under a name nobody deploys. They are found by
 * reading each index (BatchGetImage, 100 at a time). Any other untagged image stays: a tag that
 * moved on leaves its old digest untagged, and deployments pinned by digest still run it.
 */
export class EcrFleetLister implements FleetLister {
  private readonly watched: (repository: string) => boolean;

  constructor(private readonly props: EcrFleetListerProps) {
    this.watched = repositoryFilter(props.repositories);
  }

  async list(): Promise<ImageTarget[]> {
    const region = await this.props.client.config.region();
    const repositories = await this.repositories();
    const listed = await mapBounded(repositories, REPOSITORY_CONCURRENCY, (r) =>
      this.imagesOf(r, region),
    );
    return listed.flat();
  }

  /** The watched repositories' names, sorted. */
  private async repositories(): Promise<string[]> {
    const names: string[] = [];
    const pages = paginateDescribeRepositories(
      { client: this.props.client },
      { ...(this.props.registryId !== undefined && { registryId: this.props.registryId }) },
    );
    try {
      for await (const page of pages)
        for (const repository of page.repositories ?? [])
          if (repository.repositoryName !== undefined && this.watched(repository.repositoryName))
            names.push(repository.repositoryName);
    } catch (error) {
      throw awsRequestError('ECR DescribeRepositories', this.registryName(), error);
    }
    return names.sort();
  }

  private async imagesOf(repository: string, region: string): Promise<ImageTarget[]> {
    const details = await this.describeImages(repository);
    const children = await this.childrenOf(
      repository,
      details.filter((d) => INDEX_TYPES.has(d.imageManifestMediaType ?? '')),
    );
    return details.flatMap((detail) => {
      const tags = [...(detail.imageTags ?? [])].sort();
      if (detail.imageDigest === undefined) return [];
      if (tags.length === 0 && children.has(detail.imageDigest)) return [];
      const registry = ecrHost(detail.registryId ?? this.props.registryId ?? '', region);
      return [
        { registry, repository, digest: detail.imageDigest, ...(tags[0] && { tag: tags[0] }) },
      ];
    });
  }

  private async describeImages(repository: string): Promise<ImageDetail[]> {
    const details: ImageDetail[] = [];
    const pages = paginateDescribeImages(
      { client: this.props.client },
      {
        repositoryName: repository,
        filter: { tagStatus: 'ANY' },
        ...(this.props.registryId !== undefined && { registryId: this.props.registryId }),
      },
    );
    try {
      for await (const page of pages) details.push(...(page.imageDetails ?? []));
    } catch (error) {
      throw awsRequestError('ECR DescribeImages', `repository ${repository}`, error);
    }
    return details;
  }

  /** The digests an index of `repository` lists (its platform and attestation manifests). */
  private async childrenOf(repository: string, indexes: ImageDetail[]): Promise<Set<string>> {
    const children = new Set<string>();
    for (let start = 0; start < indexes.length; start += BATCH_SIZE) {
      const batch = indexes.slice(start, start + BATCH_SIZE);
      const command = new BatchGetImageCommand({
        repositoryName: repository,
        imageIds: batch.map((d) => ({ imageDigest: d.imageDigest })),
        acceptedMediaTypes: ACCEPTED_TYPES,
        ...(this.props.registryId !== undefined && { registryId: this.props.registryId }),
      });
      let images;
      try {
        ({ images } = await this.props.client.send(command));
      } catch (error) {
        throw awsRequestError('ECR BatchGetImage', `repository ${repository}`, error);
      }
      // An index deleted since it was listed is a failure of the batch, not of the run.
      for (const image of images ?? [])
        for (const d of manifestDigests(image.imageManifest)) children.add(d);
    }
    return children;
  }

  private registryName(): string {
    return this.props.registryId === undefined
      ? 'the default registry'
      : `registry ${this.props.registryId}`;
  }
}

/** The registry host of an account and region (`.amazonaws.com.cn` in the China regions). */
export function ecrHost(account: string, region: string): string {
  return `${account}.dkr.ecr.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

/** The `manifests[].digest` of an index; nothing for a manifest that does not parse. */
function manifestDigests(manifest: string | undefined): string[] {
  try {
    const parsed = JSON.parse(manifest ?? '') as { manifests?: { digest?: unknown }[] };
    return (parsed.manifests ?? []).flatMap((m) =>
      typeof m.digest === 'string' ? [m.digest] : [],
    );
  } catch {
    return [];
  }
}
