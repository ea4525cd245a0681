/**
 * Amazon Linux security advisories (ALAS), read from the repositories' `updateinfo.xml` and
 * turned into OSV records: the parser, the merge of one advisory's copies, and the download
 * through each repository's mirror list.
 */
export {
  ALAS_ECOSYSTEMS,
  alasReleaseOf,
  contextOfId,
  isAmazonLinuxEcosystem,
  type AlasContext,
  type AlasRelease,
} from './context';
export {
  ALAS_ARCHES,
  DEFAULT_ALAS_BASE_URL,
  downloadAlas,
  type AlasDownloadOptions,
} from './fetch';
export { alasSources, type AlasSource } from './manifest';
export { AlasMerger } from './merge';
export { readUpdateinfo, sniffUpdateinfo, type AlasRead, type UpdateinfoEncoding } from './read';
export { alasRecord, type AlasConversion } from './record';
export { updateinfoLocation, type UpdateinfoLocation } from './repomd';
