import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import pino from 'pino';
import { EXIT, UserError } from '../errors';
import { printJson } from '../output';
import { DEFAULT_ACCESS_KEY, startSandbox } from './index';

interface Options {
  port: string;
  host: string;
  state?: string;
  clock: string;
  accessKeyId: string;
  json?: boolean;
}

/** Runs the sandbox until SIGINT/SIGTERM; logs (JSON, stderr) what it serves, never a secret. */
export async function runSandbox(options: Options): Promise<number> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UserError('InvalidPort', `not a port: ${options.port}`, '--port', EXIT.usage);
  if (options.clock !== 'real' && options.clock !== 'manual')
    throw new UserError('InvalidClock', 'must be real or manual', '--clock', EXIT.usage);
  const log = pino(
    { name: 'nestkit-sandbox', redact: ['accessKeySecret', '*.accessKeySecret'] },
    pino.destination(2),
  );
  if (options.state && !existsSync(dirname(resolve(options.state))))
    throw new UserError(
      'StateFolderMissing',
      `no folder ${dirname(resolve(options.state))} to keep the state in`,
      `--state ${options.state}`,
      EXIT.usage,
    );
  const sandbox = await startSandbox({
    port,
    host: options.host,
    statePath: options.state,
    clock: options.clock,
    accessKeys: [
      {
        ...DEFAULT_ACCESS_KEY,
        accessKeyId: options.accessKeyId,
        accessKeySecret: process.env.NESTKIT_SANDBOX_ACCESS_KEY_SECRET ?? DEFAULT_ACCESS_KEY.accessKeySecret,
      },
    ],
    onError: (error) => log.error({ err: error }, 'request failed inside the sandbox'),
  }).catch((error: unknown) => {
    // A state file that is not the sandbox's JSON: named, not a bare SyntaxError.
    if (error instanceof SyntaxError && options.state)
      throw new UserError(
        'StateUnreadable',
        `not a sandbox state file (${error.message})`,
        `--state ${options.state}`,
      );
    throw error;
  });
  log.info(
    {
      url: sandbox.url,
      state: options.state ?? null,
      clock: options.clock,
      accessKeyId: options.accessKeyId,
    },
    'sandbox listening',
  );
  if (options.json) printJson({ url: sandbox.url, port: sandbox.port });
  else process.stdout.write(`sandbox listening on ${sandbox.url} (NESTKIT_ENDPOINT=${sandbox.url})\n`);
  let served = 0;
  const progress = setInterval(() => {
    const total = sandbox.core.calls.list().length;
    if (total !== served) log.info({ calls: total, now: sandbox.core.iso() }, 'progress');
    served = total;
  }, 10_000);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(progress);
  await sandbox.close();
  log.info('sandbox stopped');
  return EXIT.ok;
}
