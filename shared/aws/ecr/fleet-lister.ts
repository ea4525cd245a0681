import {
  BatchGetImageCommand,
  paginateDescribeImages,
  paginateDescribeRepositories,
  type ECRClient,
  type Image as ECRImage,
  type ImageDetail,
} from '@aws-sdk/client-ecr';
import { ClearanceError } from '../../core';
import { classifyManifest, type Classified } from '../../image';
import {
  DOCKER_SCHEMA1_MEDIA_TYPES,
  MANIFEST_MEDIA_TYPES,
  OCI_ARTIFACT_MANIFEST_MEDIA_TYPE,
} from '../../image';
import type { FleetLister, FleetListing } from '../../fleet';
import { repositoryFilter } from '../../fleet';
import type { ImageTarget } from '../../pipeline';
import { mapBounded } from '../dynamodb';
import { awsRequestError } from '..';

/** What BatchGetImage may answer with: every manifest type, so that nothing is left unread. */
const ACCEPTED_TYPES = [
  ...MANIFEST_MEDIA_TYPES,
  OCI_ARTIFACT_MANIFEST_MEDIA_TYPE,
  ...DOCKER_SCHEMA1_MEDIA_TYPES,
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
  /**
   * The promotion target (`CLEARANCE_PROMOTION_REPOSITORY`): its copies of digests that a
   * watched repository also holds are the pipeline's own pushes, checked under their source.
   * @default - no promotion: nothing is left out as a copy
   */
  readonly promotionRepository?: string;
}

/**
 * The fleet in Amazon ECR: every repository matching the globs (DescribeRepositories), every
 * active image of each (DescribeImages), by digest with its first tag in sort order.
 *
 * Every manifest is read (BatchGetImage, 100 at a time) and classified as the scan does
 * (shared/image/artifact.ts): signatures, attestations, SBOMs, charts and our own verdicts are
 * counted by kind and never listed, whatever DescribeImages' media types suggest (cosign
 * signatures use the image config type). The untagged platform manifests of a multi-platform
 * image are left out too: ScanImage resolves the index into its platforms. Any other untagged
 * image stays: a tag that moved on leaves its old digest untagged, and deployments pinned by
 * digest still run it. So do the promotion target's copies of watched images.
 */
export class EcrFleetLister implements FleetLister {
  private readonly watched: (repository: string) => boolean;

  constructor(private readonly props: EcrFleetListerProps) {
    this.watched = repositoryFilter(props.repositories);
  }

  async list(): Promise<FleetListing> {
    const region = await this.props.client.config.region();
    const repositories = await this.repositories();
    const listed = await mapBounded(repositories, REPOSITORY_CONCURRENCY, (r) =>
      this.imagesOf(r, region),
    );
    const artifacts: Record<string, number> = {};
    for (const { kinds } of listed)
      for (const kind of kinds) artifacts[kind] = (artifacts[kind] ?? 0) + 1;
    const { images, copies } = withoutPromotionCopies(
      listed.flatMap((l) => l.images),
      this.props.promotionRepository,
    );
    return { images, skipped: { artifacts, promotionCopies: copies } };
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

  /** A repository's images, and the kinds of the artifacts it holds (one entry each). */
  private async imagesOf(
    repository: string,
    region: string,
  ): Promise<{ images: ImageTarget[]; kinds: string[] }> {
    const details = await this.describeImages(repository);
    const classified = await this.classify(repository, details);
    const children = new Set<string>();
    for (const c of classified.values())
      if (c.kind === 'index') for (const m of c.index.manifests) children.add(m.digest);
    const images: ImageTarget[] = [];
    const kinds: string[] = [];
    for (const detail of details) {
      const digest = detail.imageDigest;
      const kind = digest === undefined ? undefined : classified.get(digest);
      // Not in BatchGetImage's answer: deleted since it was listed.
      if (digest === undefined || kind === undefined) continue;
      if (kind.kind === 'artifact') {
        kinds.push(kind.artifact.kind);
        continue;
      }
      const tags = [...(detail.imageTags ?? [])].sort();
      if (tags.length === 0 && children.has(digest)) continue;
      const registry = ecrHost(detail.registryId ?? this.props.registryId ?? '', region);
      images.push({ registry, repository, digest, ...(tags[0] && { tag: tags[0] }) });
    }
    return { images, kinds };
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

  /** Each listed manifest, read and classified; a digest ECR no longer has is left out. */
  private async classify(
    repository: string,
    details: readonly ImageDetail[],
  ): Promise<Map<string, Listed>> {
    const classified = new Map<string, Listed>();
    for (let start = 0; start < details.length; start += BATCH_SIZE) {
      const batch = details.slice(start, start + BATCH_SIZE);
      const command = new BatchGetImageCommand({
        repositoryName: repository,
        imageIds: batch.map((d) => ({ imageDigest: d.imageDigest })),
        acceptedMediaTypes: ACCEPTED_TYPES,
        ...(this.props.registryId !== undefined && { registryId: this.props.registryId }),
      });
      let images: ECRImage[] | undefined;
      try {
        images = (await this.props.client.send(command)).images;
      } catch (error) {
        throw awsRequestError('ECR BatchGetImage', `repository ${repository}`, error);
      }
      const tagOf = new Map(batch.map((d) => [d.imageDigest, [...(d.imageTags ?? [])].sort()[0]]));
      for (const image of images ?? []) {
        const digest = image.imageId?.imageDigest;
        if (digest === undefined || image.imageManifest === undefined) continue;
        classified.set(digest, classifyListed(repository, digest, image, tagOf.get(digest)));
      }
    }
    return classified;
  }

  private registryName(): string {
    return this.props.registryId === undefined
      ? 'the default registry'
      : `registry ${this.props.registryId}`;
  }
}

/** A listed manifest: classified, or not readable as one. */
type Listed = Classified | { readonly kind: 'unreadable' };

/**
 * A listed manifest as the scan would take it. One that cannot be read as a manifest (schema
 * 1, malformed) stays an item: its scan then fails with the reason, rather than the fleet
 * leaving out what may be an image.
 */
function classifyListed(
  repository: string,
  digest: string,
  image: ECRImage,
  tag: string | undefined,
): Listed {
  const what = `manifest ${digest} of ${repository}`;
  try {
    return classifyManifest(
      Buffer.from(image.imageManifest!, 'utf8'),
      image.imageManifestMediaType,
      what,
      tag === undefined ? {} : { tag },
    );
  } catch (error) {
    if (error instanceof ClearanceError && error.kind === 'input') return { kind: 'unreadable' };
    throw error;
  }
}

/**
 * The images without the promotion target's copies of digests a watched repository also
 * holds (the pipeline pushed them there; they are checked under their source), and how many.
 */
function withoutPromotionCopies(
  images: readonly ImageTarget[],
  promotion: string | undefined,
): { images: ImageTarget[]; copies: number } {
  if (promotion === undefined) return { images: [...images], copies: 0 };
  const elsewhere = new Set(images.filter((i) => i.repository !== promotion).map((i) => i.digest));
  const kept = images.filter((i) => i.repository !== promotion || !elsewhere.has(i.digest));
  return { images: kept, copies: images.length - kept.length };
}

/** The registry host of an account and region (`.amazonaws.com.cn` in the China regions). */
export function ecrHost(account: string, region: string): string {
  return `${account}.dkr.ecr.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}
