import type { Command } from 'commander';

function list(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

export function lintCommand(program: Command): void {
  program
    .command('lint')
    .description(
      'Check ROS templates and Compute Nest service definitions: this repository (no argument), computenest-cli ' +
        'project folders or their config.yaml, and single templates',
    )
    .argument('[paths...]', 'project folders, config.yaml files, service definitions or ROS templates')
    .option('--format <format>', 'text or json', 'text')
    .option('--json', 'same as --format json')
    .option('--rule <ids>', 'run only these rules (comma-separated, repeatable)', list)
    .option('--ignore <ids>', 'skip these rules (comma-separated, repeatable)', list)
    .option('--list-rules', 'print the rules with their severity and description, then exit')
    .addHelpText(
      'after',
      '\nExit codes: 0 no error (warnings allowed), 1 errors found, 2 usage or runtime failure.',
    )
    .action(async (paths: string[], options) => {
      const { runLint } = await import('./run');
      process.exitCode = runLint(paths, options);
    });
}
