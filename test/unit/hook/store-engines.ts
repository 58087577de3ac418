import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { PgStore } from '../../../scripts/hook/store/pg-store';
import { SqliteStore } from '../../../scripts/hook/store/sqlite-store';
import type { HookStore } from '../../../scripts/hook/store/store';

/** A database of one engine for one test: `open` (again after `close`, same data), then `destroy`. */
export interface TestDatabase {
  open(): Promise<HookStore>;
  destroy(): Promise<void>;
}

export interface StoreEngine {
  name: 'sqlite' | 'postgres';
  create(): TestDatabase;
}

const sqlite: StoreEngine = {
  name: 'sqlite',
  create() {
    const dir = mkdtempSync(join(tmpdir(), 'nestkit-store-'));
    return {
      open: async () => new SqliteStore(join(dir, 'db', 'nestkit.db')),
      destroy: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

/** Each test database is a schema of its own in the database at the URL, dropped afterwards. */
function postgres(url: string): StoreEngine {
  return {
    name: 'postgres',
    create() {
      const schema = `nk_test_${randomBytes(6).toString('hex')}`;
      return {
        open: () => PgStore.open(url, { schema, poolSize: 4 }),
        async destroy() {
          const client = new Client({ connectionString: url });
          await client.connect();
          await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await client.end();
        },
      };
    },
  };
}

/** PostgreSQL required but not configured: every test of it fails, saying what to set (CI never skips). */
const postgresMissing: StoreEngine = {
  name: 'postgres',
  create: () => ({
    open: () =>
      Promise.reject(
        new Error(
          'NESTKIT_TEST_DATABASE_URL is not set: CI runs the store tests on PostgreSQL too (.ci/run starts one; see scripts/hook/README.md)',
        ),
      ),
    destroy: async () => undefined,
  }),
};

/**
 * The engines the store suites run on: SQLite always; PostgreSQL at NESTKIT_TEST_DATABASE_URL when
 * set, and as failing tests when it is not but CI=true.
 */
export function storeEngines(env: NodeJS.ProcessEnv = process.env): StoreEngine[] {
  const url = env.NESTKIT_TEST_DATABASE_URL;
  if (url) return [sqlite, postgres(url)];
  return env.CI === 'true' ? [sqlite, postgresMissing] : [sqlite];
}
