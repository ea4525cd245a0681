import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AsffFinding, FindingsHub, PublishResult, PublishScope } from '../securityhub';

/** The account a local run's findings name (no account is real locally). */
export const LOCAL_SECURITY_HUB_PRODUCT =
  'arn:aws:securityhub:us-east-1:000000000000:product/000000000000/default';

/** A finding as the local hub keeps it: what was imported, and the workflow Security Hub adds. */
type Kept = AsffFinding & { readonly Workflow: { readonly Status: 'NEW' | 'RESOLVED' } };

/**
 * Security Hub, locally (`clearance pipeline run` with `securityHub`): the findings by id in one
 * JSON file, with the cloud's semantics: a finding imported again is updated (its first
 * observation kept), a finding of the scope's images that the scan no longer has is archived
 * and resolved, one that comes back is active and NEW again.
 */
export class LocalFindingsHub implements FindingsHub {
  constructor(private readonly file: string) {}

  publish(findings: readonly AsffFinding[], scope: PublishScope): Promise<PublishResult> {
    const kept = this.read();
    const ids = new Set(findings.map((f) => f.Id));
    const inScope = (f: AsffFinding) =>
      f.ProductArn === scope.productArn &&
      f.Resources.some((r) => scope.resourceIds.includes(r.Id));
    const gone = Object.values(kept).filter(
      (f) => inScope(f) && f.RecordState === 'ACTIVE' && !ids.has(f.Id),
    );
    for (const f of findings) {
      const before = kept[f.Id];
      kept[f.Id] = {
        ...f,
        CreatedAt: before?.CreatedAt ?? f.CreatedAt,
        FirstObservedAt: before?.FirstObservedAt ?? f.FirstObservedAt,
        Workflow: { Status: before?.RecordState === 'ACTIVE' ? before.Workflow.Status : 'NEW' },
      };
    }
    const now = findings[0]?.UpdatedAt ?? new Date().toISOString();
    for (const f of gone)
      kept[f.Id] = {
        ...f,
        RecordState: 'ARCHIVED',
        UpdatedAt: now,
        Workflow: { Status: 'RESOLVED' },
      };
    this.write(kept);
    return Promise.resolve({
      imported: findings.length,
      failed: [],
      archived: gone.length,
      archiveFailed: [],
    });
  }

  /** Every finding the local hub holds, by id. */
  read(): Record<string, Kept> {
    return existsSync(this.file)
      ? (JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, Kept>)
      : {};
  }

  private write(kept: Record<string, Kept>): void {
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, `${JSON.stringify(kept, null, 2)}\n`);
  }
}
