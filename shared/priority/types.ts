/** One entry of CISA's KEV catalog (its JSON feed's fields, camelCased as published). */
export interface KevEntry {
  readonly cveID: string;
  /** YYYY-MM-DD. */
  readonly dateAdded: string;
  /** YYYY-MM-DD: the federal remediation deadline. */
  readonly dueDate: string;
  /** `Known` or `Unknown`, as the catalog says. */
  readonly knownRansomwareCampaignUse: string;
  readonly vulnerabilityName?: string;
  readonly requiredAction?: string;
}

/** One FIRST EPSS score (its CSV's columns). */
export interface EpssScore {
  /** Probability of exploitation activity in the next 30 days, 0–1. */
  readonly score: number;
  /** Its percentile among all scored CVEs, 0–1. */
  readonly percentile: number;
  /** The score's date (YYYY-MM-DD, the CSV's `score_date`). */
  readonly date: string;
}

/** Which KEV catalog a store holds: its header fields. */
export interface KevVersion {
  readonly catalogVersion: string;
  readonly dateReleased: string;
  readonly count: number;
}

/** Which EPSS scores a store holds: the CSV's comment line, and the rows read. */
export interface EpssVersion {
  /** YYYY-MM-DD. */
  readonly scoreDate: string;
  readonly modelVersion: string;
  readonly count: number;
}

/**
 * What a store knows of a set of CVEs: null for a source the store holds no data of (findings
 * then carry no `kev`/`epss` at all), else the CVEs it lists (the others are "not listed").
 */
export interface PriorityLookup {
  readonly kev: ReadonlyMap<string, KevEntry> | null;
  readonly epss: ReadonlyMap<string, EpssScore> | null;
}

/** A store that can answer {@link PriorityLookup}s. */
export interface PrioritySource {
  priorityFor(cves: readonly string[]): Promise<PriorityLookup>;
}

/** One source's whole data, as a sync hands it to a store: the version and every CVE's row. */
export type PriorityRows =
  | {
      readonly kind: 'kev';
      readonly version: KevVersion;
      readonly rows: ReadonlyMap<string, KevEntry>;
    }
  | {
      readonly kind: 'epss';
      readonly version: EpssVersion;
      readonly rows: ReadonlyMap<string, EpssScore>;
    };
