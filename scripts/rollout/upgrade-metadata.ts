/**
 * A version's `UpgradeMetadata` (a JSON string of the service definition) and what it allows, as
 * Alibaba's public examples write it (`{Description, SupportRollback, SupportUpgradeFromVersions: [],
 * UpgradeComponents: [Configuration, Resource]}`). Pure.
 */
export interface UpgradeMetadata {
  Description?: string;
  SupportRollback?: boolean;
  SupportUpgradeFromVersions?: string[];
  UpgradeComponents?: string[];
}

/** Parses the field; a field that is absent or not an object means the version offers no upgrade. */
export function parseUpgradeMetadata(text: string | undefined): UpgradeMetadata | undefined {
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    return parsed as UpgradeMetadata;
  } catch {
    return undefined;
  }
}

/**
 * Why `from` cannot be upgraded to the target of `metadata`, or undefined when it can.
 * [I] An empty (or absent) SupportUpgradeFromVersions allows every older version; a version without
 * UpgradeMetadata offers no upgrade; a downgrade is never an upgrade. The sandbox models the same guess.
 */
export function upgradeRefusal(
  from: string,
  to: string,
  metadata: UpgradeMetadata | undefined,
  fromVersionName?: string,
): string | undefined {
  if (!metadata) return `version ${to} has no UpgradeMetadata`;
  const allowed = metadata.SupportUpgradeFromVersions ?? [];
  if (allowed.length > 0)
    return allowed.some((entry) => namesVersion(entry, from, fromVersionName))
      ? undefined
      : `UpgradeMetadata of version ${to} allows upgrades only from ${allowed.join(', ')}`;
  return isOlder(from, to) ? undefined : `version ${from} is not older than ${to}`;
}

const isOlder = (from: string, to: string) => Number(from) < Number(to);

/**
 * Whether an entry of SupportUpgradeFromVersions names a version: its number, or [I] the release it was
 * published as (`nestkit publish` names versions `<service.version>-<hash>`, and synth lists releases).
 */
export function namesVersion(entry: string, version: string, versionName: string | undefined): boolean {
  return entry === version || versionName === entry || (versionName?.startsWith(`${entry}-`) ?? false);
}
