import type { Command } from 'commander';

export function synthCommand(program: Command): void {
  program
    .command('synth')
    .description(
      'Synthesize the ROS templates and the Compute Nest service definition from service-config/service.yaml',
    )
    .option('-c, --config <file>', 'service description', 'service-config/service.yaml')
    .option('-o, --out <dir>', 'output directory', 'templates')
    .option('--check', 'exit 1 and name the stale files when the output directory differs from a fresh synth')
    .option(
      '-e, --edition <name>',
      'preview the template and parameter values one order of this edition gets',
    )
    .option(
      '-m, --modules <list>',
      'with --edition: extra billing items (modules) the order buys, comma-separated',
    )
    .option('--format <format>', 'with --edition: json or yaml', 'yaml')
    .option('--json', 'machine-readable result')
    .action(async (options) => {
      const { runSynth } = await import('./run');
      process.exitCode = await runSynth(options);
    });
}
