import type { Command } from 'commander';

export function sandboxCommand(program: Command): void {
  program
    .command('sandbox')
    .description(
      'Run a local, wire-compatible emulator of Compute Nest, its object store and the Marketplace',
    )
    .option('-p, --port <port>', 'port to listen on (0 picks a free one)', '8900')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--state <file>', 'keep state in this JSON file across restarts')
    .option(
      '--clock <mode>',
      'real: virtual time follows the wall clock plus advances; manual: only advances move it',
      'real',
    )
    .option(
      '--access-key-id <id>',
      'the AccessKeyId callers sign with (secret from NESTKIT_SANDBOX_ACCESS_KEY_SECRET)',
      'sandbox',
    )
    .option('--json', 'print the listening URL as JSON')
    .action(async (options) => {
      const { runSandbox } = await import('./run');
      process.exitCode = await runSandbox(options);
    });
}
