/** The settings of `managed-database` with their defaults, from what its schema fragment let through. */
export interface ManagedDatabaseSettings {
  /** MySQL version. @default '8.0' */
  readonly engineVersion: string;
  /** RDS instance class. @default 'mysql.n2.medium.1' */
  readonly instanceClass: string;
  /** Storage in GiB. @default 20 */
  readonly storageGb: number;
}

export const DEFAULT_DATABASE_SETTINGS: ManagedDatabaseSettings = {
  engineVersion: '8.0',
  instanceClass: 'mysql.n2.medium.1',
  storageGb: 20,
};

/** Reads the validated settings field by field (a parse, not a cast), defaults for what is left out. */
export function databaseSettings(raw: Record<string, unknown>): ManagedDatabaseSettings {
  const text = (key: keyof ManagedDatabaseSettings, fallback: string) =>
    typeof raw[key] === 'string' ? raw[key] : fallback;
  return {
    engineVersion: text('engineVersion', DEFAULT_DATABASE_SETTINGS.engineVersion),
    instanceClass: text('instanceClass', DEFAULT_DATABASE_SETTINGS.instanceClass),
    storageGb: typeof raw.storageGb === 'number' ? raw.storageGb : DEFAULT_DATABASE_SETTINGS.storageGb,
  };
}
