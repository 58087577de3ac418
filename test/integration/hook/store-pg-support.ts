import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The PostgreSQL the store tests use (.ci/run starts one; scripts/hook/README.md says how by hand). */
export const PG_URL = process.env.NESTKIT_TEST_DATABASE_URL;

/**
 * `describe` for suites that need PostgreSQL: skipped when NESTKIT_TEST_DATABASE_URL is unset, except
 * in CI (CI=true), where they run and fail saying what is missing: nothing is skipped silently there.
 */
export const describePg: jest.Describe = PG_URL || process.env.CI === 'true' ? describe : describe.skip;

/** A database of its own for one test, on the server at NESTKIT_TEST_DATABASE_URL. */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (!PG_URL)
    throw new Error(
      'NESTKIT_TEST_DATABASE_URL is not set: CI runs the PostgreSQL store tests (.ci/run starts one)',
    );
  const name = `nk_it_${randomBytes(5).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: PG_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
