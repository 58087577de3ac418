import type { Command } from 'commander';

/** `nestkit rollout`: the fleet upgrade, and `status`, `pause`, `resume`, `abort` of the one in progress. */
export function rolloutCommand(program: Command): void {
  const rollout = withShared(
    program
      .command('rollout')
      .description(
        'Upgrade every live instance to a new service version, in waves: a canary, then growing batches',
      ),
  )
    .option('--to <version>', "the version to upgrade to (default: the service's default version)")
    .option('--dry-run', 'show the plan; call nothing that changes anything')
    .option('--canary <n|p%>', 'instances in the first wave', '1')
    .option('--batch-growth <factor>', 'each later wave is this many times the one before', '2')
    .option('--max-batch <n>', 'the largest wave', '50')
    .option(
      '--soak <duration>',
      'how long a wave stays deployed and healthy before the next (10m, 30s, 1h)',
      '10m',
    )
    .option('--max-failures <n|p%>', 'failures in one wave above this stop the rollout', '0')
    .option('--rollback-failed', 'roll the failed instances back to their version')
    .option('--health-path <path>', "also GET this path under the instance's endpoint output, when reachable")
    .option('--concurrency <n>', 'upgrade calls in flight at once', '16')
    .addHelpText(
      'after',
      "\nThe plan and each instance's step live in the hook's database (--db): after a crash run the same\n" +
        'command (or `nestkit rollout resume`) to go on; no instance is upgraded twice (ClientTokens).\n' +
        'One process works a rollout at a time (a lease in the database, renewed while it runs); another is\n' +
        "refused with the lease's end, and after a crash `resume` takes over once the lease has run out (60 s).\n" +
        'Exit codes: 0 finished (or planned, with --dry-run), 1 stopped by failures or paused/aborted, 2 usage.',
    )
    .action(async (options) => {
      const { runRollout } = await import('./run');
      process.exitCode = await runRollout(options);
    });
  for (const [name, description] of [
    ['status', 'Show the rollout in progress (or the last one)'],
    ['pause', 'Pause the rollout: no new upgrades start; `resume` goes on'],
    ['resume', 'Resume a paused (or crashed) rollout and work it to its end'],
    ['abort', 'Abort the rollout: no new upgrades start, the hook is free to act on every instance'],
  ] as const) {
    rollout
      .command(name)
      .description(description)
      .addHelpText(
        'after',
        '\nTakes the options of `nestkit rollout`: --db, --json, --endpoint, --sandbox-clock ...',
      )
      // The options are the parent's (`nestkit rollout status --db x` gives them to `rollout`).
      .action(async (_options, command: Command) => {
        const { runRolloutControl } = await import('./run');
        process.exitCode = await runRolloutControl(name, command.optsWithGlobals());
      });
  }
}

function withShared(command: Command): Command {
  return command
    .option('-c, --config <file>', 'service description', 'service-config/service.yaml')
    .option(
      '--db <file|url>',
      "the hook's database, an SQLite file or a postgres:// URL (as `nestkit hook --db`; default NESTKIT_DATABASE_URL, else ./data/nestkit.db)",
    )
    .option('--endpoint <url>', 'cloud endpoint (default NESTKIT_ENDPOINT, then the public one)')
    .option('--sandbox-clock', 'with a sandbox endpoint: soak and poll on its virtual clock')
    .option('--rate-limit <n>', 'Compute Nest calls per second', '20')
    .option('--poll-interval <s>', 'seconds between looks at a wave in progress', '10')
    .option('--json', 'print the report as JSON');
}
