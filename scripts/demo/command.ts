import type { Command } from 'commander';

export function demoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'Run the whole story on a local sandbox: publish, buy each edition, renew, upgrade, expire, release, tear down',
    )
    .option('-c, --config <file>', 'service description', 'service-config/service.yaml')
    .option('--json', 'machine-readable timeline and result')
    .option('--keep', 'keep the hook database in the temporary folder')
    .option('--console', 'then leave the hook running with its web console on, until Ctrl-C')
    .action(async (options) => {
      const { runDemo } = await import('./run');
      process.exitCode = await runDemo(options);
    });
}
