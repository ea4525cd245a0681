/**
 * How each distribution's OSV ecosystem names its releases, and how an image's os-release names
 * the same release, so that the two meet on one key. Each function returns the release, or
 * undefined when the text names none this module recognises.
 */

/** One distribution's OSV ecosystem, and the os-release IDs whose packages it covers. */
export interface DistroFamily {
  /** The OSV ecosystem name, without suffix: `Debian`, `SUSE`, `Azure Linux`. */
  readonly ecosystem: string;
  /** os-release `ID` → the release its `VERSION_ID` names; `null` for a rolling distribution. */
  readonly ids: Readonly<Record<string, (versionId: string | null) => string | null | undefined>>;
  /** The release an OSV ecosystem suffix names (`12`, `Linux Enterprise 15 SP5`). */
  readonly release?: (suffix: string) => string | undefined;
}

/** A release number as os-release writes it: `12`, `3.20.3`, `15.5`. */
const NUMBER = /^\d+(?:\.\d+)*$/;

/** The first `parts` dot-separated parts of a numeric VERSION_ID (`3.20.3` → `3.20`). */
const leading =
  (parts: number) =>
  (versionId: string | null): string | undefined =>
    versionId !== null && NUMBER.test(versionId)
      ? versionId.split('.').slice(0, parts).join('.')
      : undefined;

/** The first numeric part of a suffix (`22.04:LTS`, `Pro:18.04:LTS`, `v3.20`), cut to `parts`. */
const firstNumber =
  (parts: number) =>
  (suffix: string): string | undefined =>
    leading(parts)(
      suffix
        .split(':')
        .map((part) => part.replace(/^v/, ''))
        .find((part) => NUMBER.test(part)) ?? null,
    );

const rolling = (): null => null;

/**
 * Amazon Linux 2 and 2023, whose ALAS advisories are imported; the Amazon Linux AMI (AL1,
 * `2018.03`) has no advisory source, so it stays a gap.
 */
function amazonLinux(versionId: string | null): string | undefined {
  const release = leading(1)(versionId);
  return release === '2' || release === '2023' ? release : undefined;
}

/**
 * Red Hat writes the CPE of the product stream after `Red Hat:` (`enterprise_linux:9::appstream`,
 * `rhel_eus:9.2::baseos`, `openshift:4.14::el9`). The main RHEL streams of a major release (every
 * repository of `enterprise_linux:<major>`: BaseOS, AppStream, CRB, …) are the release an image
 * says it runs: `9`. Extended streams (EUS, AUS, TUS, E4S, ELS) and layered products keep their
 * product and version (`rhel_eus:9.2`), a key no image maps to: an image cannot tell them apart
 * (os-release and the rpmdb name no repository), and their fixes are for branches a UBI or RHEL
 * image on the main stream does not run.
 */
function redHatRelease(suffix: string): string | undefined {
  const [product, version] = suffix.split(':');
  if (product === undefined || version === undefined || !NUMBER.test(version)) return undefined;
  return product === 'enterprise_linux' && /^\d+$/.test(version)
    ? version
    : `${product}:${version}`;
}

/**
 * SUSE Linux Enterprise 12–15 spreads one service pack over some twenty products (Server,
 * Desktop, SAP, HPC, the modules: `Linux Enterprise Module for Basesystem 15 SP5`, the support
 * phases: `Linux Enterprise Server 15 SP4-LTSS`, `… LTSS 15 SP4`). A SLES image carries packages
 * of several of them (Basesystem, Server Applications, Python 3, …) and nothing in the image
 * says which, so every product of one service pack is one release: `Linux Enterprise 15 SP5`.
 * SLE 16 numbers its releases `16.0`. SLE Micro (`Linux Enterprise Micro [for Rancher] 5.5`) and
 * SUSE Linux Micro 6 (`Linux Micro 6.0`) are releases of their own. Other products (Storage,
 * Manager, Package Hub, CaaS) keep their whole name: no image maps to them.
 */
const SLE_PRODUCT =
  /^Linux Enterprise (?!Micro\b)(?:[\w ]+? )?(1[0-9])(?:\.(\d+)| SP(\d+))?(?:[- ][A-Z]+)*$/;
const SLE_MICRO = /^Linux Enterprise Micro(?: for Rancher)? (\d+\.\d+)$/;
const LINUX_MICRO = /^(?:Linux Micro|SL[- ]Micro) (\d+\.\d+)$/;

function suseRelease(suffix: string): string {
  const sle = SLE_PRODUCT.exec(suffix);
  if (sle !== null) return sleName(sle[1]!, sle[2] ?? sle[3]);
  const micro = SLE_MICRO.exec(suffix);
  if (micro !== null) return `Linux Enterprise Micro ${micro[1]!}`;
  const linuxMicro = LINUX_MICRO.exec(suffix);
  return linuxMicro !== null ? `Linux Micro ${linuxMicro[1]!}` : suffix;
}

/** `15`, `5` → `Linux Enterprise 15 SP5`; `15` → `Linux Enterprise 15`; `16`, `0` → `… 16.0`. */
function sleName(major: string, minor: string | undefined): string {
  if (minor === undefined) return `Linux Enterprise ${major}`;
  return Number(major) >= 16
    ? `Linux Enterprise ${major}.${minor}`
    : minor === '0'
      ? `Linux Enterprise ${major}`
      : `Linux Enterprise ${major} SP${minor}`;
}

/** SLES, SLED, SLES for SAP, SLE HPC: VERSION_ID `15.5` → `Linux Enterprise 15 SP5`. */
function sleFromVersionId(versionId: string | null): string | undefined {
  const version = leading(2)(versionId);
  if (version === undefined) return undefined;
  const [major, minor] = version.split('.');
  return sleName(major!, minor);
}

/** `Leap 15.5`, `Leap Micro 5.5`, `Tumbleweed`; other openSUSE products keep their name. */
function openSuseRelease(suffix: string): string {
  const leap = /^Leap(?: Micro)? \d+\.\d+$/.exec(suffix);
  return leap !== null ? leap[0] : suffix;
}

const named =
  (prefix: string) =>
  (versionId: string | null): string | undefined => {
    const version = leading(2)(versionId);
    return version?.includes('.') ? `${prefix} ${version}` : undefined;
  };

/**
 * Every distribution whose advisories are matched, with the os-release IDs it serves. openSUSE
 * MicroOS is built from Tumbleweed's packages and has no advisories of its own: Tumbleweed's
 * apply. CBL-Mariner (`mariner`) is Azure Linux before its rename; OSV files it as `Azure Linux:2`.
 */
export const DISTRO_FAMILIES: readonly DistroFamily[] = [
  { ecosystem: 'Debian', ids: { debian: leading(1) }, release: firstNumber(1) },
  { ecosystem: 'Ubuntu', ids: { ubuntu: leading(2) }, release: firstNumber(2) },
  { ecosystem: 'Alpine', ids: { alpine: leading(2) }, release: firstNumber(2) },
  { ecosystem: 'Rocky Linux', ids: { rocky: leading(1) }, release: firstNumber(1) },
  { ecosystem: 'AlmaLinux', ids: { almalinux: leading(1) }, release: firstNumber(1) },
  { ecosystem: 'Red Hat', ids: { rhel: leading(1) }, release: redHatRelease },
  { ecosystem: 'Amazon Linux', ids: { amzn: amazonLinux }, release: firstNumber(1) },
  {
    ecosystem: 'Azure Linux',
    ids: { azurelinux: leading(1), mariner: leading(1) },
    release: firstNumber(1),
  },
  {
    ecosystem: 'SUSE',
    ids: {
      sles: sleFromVersionId,
      sled: sleFromVersionId,
      sles_sap: sleFromVersionId,
      sle_hpc: sleFromVersionId,
      'sle-micro': named('Linux Enterprise Micro'),
      'sl-micro': named('Linux Micro'),
    },
    release: suseRelease,
  },
  {
    ecosystem: 'openSUSE',
    ids: {
      'opensuse-leap': named('Leap'),
      opensuse: named('Leap'),
      'opensuse-leap-micro': named('Leap Micro'),
      'opensuse-tumbleweed': () => 'Tumbleweed',
      'opensuse-microos': () => 'Tumbleweed',
    },
    release: openSuseRelease,
  },
  { ecosystem: 'Wolfi', ids: { wolfi: rolling } },
  { ecosystem: 'Chainguard', ids: { chainguard: rolling } },
];
