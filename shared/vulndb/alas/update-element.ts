/**
 * One `<update>` of a yum/dnf `updateinfo.xml` as Amazon Linux writes it, unchecked: the parts
 * an advisory needs, as the file gives them.
 *
 * ```xml
 * <update author="linux-security@amazon.com" from="linux-security@amazon.com" status="final"
 *         type="security" version="1.4">
 *   <id>ALAS2023-2024-123</id> <title>…</title> <issued date="2024-01-05 20:41" />
 *   <updated date="2024-01-09 19:55" /> <severity>Important</severity> <description>…</description>
 *   <references><reference href="…" id="CVE-2024-0001" title="" type="cve" /></references>
 *   <pkglist><collection short="amazon-linux-2023"><name>…</name>
 *     <package name="openssl" epoch="1" version="3.0.8" release="1.amzn2023.0.11" arch="x86_64">
 *       <filename>Packages/openssl-3.0.8-1.amzn2023.0.11.x86_64.rpm</filename></package>
 *   </collection></pkglist>
 * </update>
 * ```
 */
export interface UpdateinfoUpdate {
  /** Its place in the file, counting from 1: what names it when it has no id. */
  readonly index: number;
  readonly type?: string;
  readonly id?: string;
  readonly title?: string;
  readonly issued?: string;
  readonly updated?: string;
  readonly severity?: string;
  readonly description?: string;
  /** `id` of each `<reference type="cve">`, as written. */
  readonly cves: readonly string[];
  readonly packages: readonly UpdateinfoPackage[];
}

/** One `<package>` of a `<pkglist>`'s collection, its attributes as written. */
export interface UpdateinfoPackage {
  readonly name?: string;
  readonly epoch?: string;
  readonly version?: string;
  readonly release?: string;
  readonly arch?: string;
}

/** What the reader hands on: an update, one it could not read (and why), or the file's end. */
export type UpdateinfoEvent =
  | { readonly kind: 'update'; readonly update: UpdateinfoUpdate }
  | {
      readonly kind: 'broken';
      readonly index: number;
      readonly id?: string;
      readonly reason: string;
    }
  | { readonly kind: 'stopped'; readonly reason: string };
