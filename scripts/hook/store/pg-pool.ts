import { Pool, type PoolClient, type PoolConfig } from 'pg';
import { migratePg } from './migrations/pg-migrations';

/** A call that cannot get a connection or finish in this long fails (the guard answers 503): never hangs. */
const CONNECT_TIMEOUT_MS = 5000;
const STATEMENT_TIMEOUT_MS = 15_000;

export interface MigratedPoolOptions {
  url: string;
  /** Connections in the pool. */
  size: number;
  /** Who the server sees (`pg_stat_activity.application_name`). */
  applicationName: string;
  /** A schema of its own (created when missing), else the database's search path. */
  schema?: string;
  /** Called with an error of an idle connection (the database restarted, the network dropped). */
  onIdleError?: (error: Error) => void;
}

/**
 * A `pg` pool on the hook's database with the kit's timeouts, once the migrations are applied (once
 * across every process starting together: they migrate under an advisory lock). The hook's store and
 * the rollout store open theirs here, so both see one schema and fail alike.
 */
export async function openMigratedPool(options: MigratedPoolOptions): Promise<Pool> {
  const config: PoolConfig = {
    connectionString: options.url,
    max: options.size,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    idle_in_transaction_session_timeout: STATEMENT_TIMEOUT_MS,
    application_name: options.applicationName,
  };
  if (options.schema !== undefined) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema))
      throw new Error(`PostgreSQL schema "${options.schema}": lower-case letters, digits and _ only`);
    config.options = `-c search_path=${options.schema}`;
  }
  const pool = new Pool(config);
  // Without a listener an idle connection's error (server restart) would end the process.
  pool.on('error', (error) => options.onIdleError?.(error));
  try {
    const client = await pool.connect();
    try {
      await migratePg(client, options.schema);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  return pool;
}

/** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
