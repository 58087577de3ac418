import type { Command } from 'commander';

/** Options every `nestkit orders` subcommand takes: where the hook's database and service are. */
function common(command: Command): Command {
  return command
    .option(
      '--db <file|url>',
      "the hook's database, an SQLite file or a postgres:// URL (as `nestkit hook --db`; default NESTKIT_DATABASE_URL, else ./data/nestkit.db)",
    )
    .option(
      '-c, --config <file>',
      'service description (its lifecycle policy)',
      'service-config/service.yaml',
    )
    .option('--endpoint <url>', 'with --sandbox-clock: the sandbox the hook runs against')
    .option('--sandbox-clock', "follow the sandbox's virtual clock, as the hook does with it")
    .option('--json', 'machine-readable output');
}

export function ordersCommand(program: Command): void {
  const orders = program
    .command('orders')
    .description(
      "See and act on the hook's orders: list, show, retry, release, resume (works while the hook runs)",
    );
  common(orders.command('list'))
    .description('Orders, newest change first, with dead letters and the last error')
    .option('--state <states>', 'only these states, comma-separated (e.g. failed,provisioning)')
    .option('--sku <code>', "only this edition's specification code")
    .option('--older-than <age>', 'created longer ago than this (90s, 30m, 12h, 7d, 2w)')
    .option('--newer-than <age>', 'created more recently than this')
    .option('--search <text>', 'order id, instance id, buyer aliUid or Marketplace order id (or a prefix)')
    .option('--dead', 'only orders with a dead-lettered effect')
    .option('--limit <n>', 'orders per page (1-1000)', '50')
    .option('--offset <n>', 'orders to skip', '0')
    .action(async (options) => {
      const { listOrders } = await import('./run');
      process.exitCode = await listOrders(options);
    });
  common(orders.command('show').argument('<id>', 'the order (Marketplace instance id)'))
    .description('One order: its record, event history, jobs and last error')
    .action(async (id: string, options) => {
      const { showOrder } = await import('./run');
      process.exitCode = await showOrder(id, options);
    });
  common(orders.command('retry').argument('<id>', 'the order'))
    .description(
      'Run a dead-lettered effect again (fresh retry budget), or a failed order, through the job table',
    )
    .action(async (id: string, options) => {
      const { retry } = await import('./run');
      process.exitCode = await retry(id, options);
    });
  common(orders.command('release').argument('<id>', 'the order'))
    .description("Tear an order's instance down now (the teardown guard and ownership checks still apply)")
    .requiredOption('--reason <text>', 'why: kept in the record and the event history')
    .action(async (id: string, options) => {
      const { release } = await import('./run');
      process.exitCode = await release(id, options);
    });
  common(orders.command('resume').argument('<id>', 'the order'))
    .description(
      "Let through the teardown of one order the teardown guard holds (due, stopped with its pass): the guard, with the hook's limits, counts it; the hook deletes it",
    )
    .action(async (id: string, options) => {
      const { resume } = await import('./run');
      process.exitCode = await resume(id, options);
    });
}
