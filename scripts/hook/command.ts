import type { Command } from 'commander';
import { DEFAULT_TEARDOWN_LIMITS } from './teardown-guard';

export function hookCommand(program: Command): void {
  program
    .command('hook')
    .description('Run the lifecycle hook: Marketplace SPI endpoint, Compute Nest reconciler, teardown worker')
    .option('-c, --config <file>', 'service description', 'service-config/service.yaml')
    .option('--port <n>', 'HTTP port of the SPI endpoint', '8080')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option(
      '--db <file|url>',
      'SQLite file, or postgres://user:password@host/db for several replicas (default NESTKIT_DATABASE_URL, then ./data/nestkit.db)',
    )
    .option('--endpoint <url>', 'cloud endpoint (default NESTKIT_ENDPOINT, then the public one)')
    .option('--dry-run', 'log every effect instead of calling the cloud')
    .option(
      '--sandbox-clock',
      'with a sandbox endpoint: follow its virtual clock (passes, timers, retention, retry waits); else the wall clock',
    )
    .option(
      '--retry-hours <h>',
      'how long transient failures of an effect are retried before it is dead-lettered',
      '24',
    )
    .option('--rate-limit <n>', 'Compute Nest calls per second', '20')
    .option('--reconcile-interval <s>', 'seconds between reconciler passes', '300')
    .option('--teardown-interval <s>', 'seconds between teardown passes', '60')
    .option(
      '--max-teardowns <n>',
      'most teardowns one pass may start',
      String(DEFAULT_TEARDOWN_LIMITS.maxPerPass),
    )
    .option(
      '--max-teardown-share <ratio>',
      'largest share (0-1] of live instances one pass may tear down...',
      String(DEFAULT_TEARDOWN_LIMITS.maxShare),
    )
    .option(
      '--teardown-share-above <n>',
      '...once a pass holds more than this many teardowns',
      String(DEFAULT_TEARDOWN_LIMITS.shareAppliesAbove),
    )
    .option('--poll-interval <ms>', 'wait between looks at a deployment or deletion in progress', '5000')
    .option(
      '--lease-seconds <s>',
      "how long a job's lease lasts; a crashed hook's jobs come back after it",
      '60',
    )
    .option(
      '--max-connections <n>',
      'open sockets at most (default 512, or half the open-file limit when lower)',
    )
    .option(
      '--max-connections-per-source <n>',
      'open sockets per client address (behind a reverse proxy: its pool; cap clients in the proxy)',
      '64',
    )
    .addHelpText(
      'after',
      '\nEnvironment: NESTKIT_SPI_KEY (required, >= 16 characters, the ISV key of the SPI),\n' +
        "NESTKIT_PASSWORD_SECRET (required, >= 32 characters: every order's admin password is derived from it;\n" +
        'the database keeps only its fingerprint), NESTKIT_LICENSE_TOKEN (>= 16 characters, enables\n' +
        'POST /license/activate for your website back end), NESTKIT_ENDPOINT, NESTKIT_LOG_LEVEL,\n' +
        'NESTKIT_DATABASE_URL (postgres://…, the store when --db is not given; its password is never logged);\n' +
        'cloud credentials through the default chain (ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET, OIDC role, profile);\n' +
        'NESTKIT_MARKET_ACCESS_KEY_ID/SECRET: the account AccessKey for the licence calls, which refuse RAM users and STS;\n' +
        'NESTKIT_SSO_KEY (>= 32 bytes: signs the sign-in token verify hands the application), NESTKIT_PUBLIC_URL\n' +
        '(the hook as the Marketplace reaches it; appInfo.authUrl is it + /spi);\n' +
        'NESTKIT_CONSOLE_TOKEN (>= 16 characters: turns on the operator console at /console, signed in with it).',
    )
    .action(async (options) => {
      const { runHook } = await import('./run');
      process.exitCode = await runHook(options);
    });
}
