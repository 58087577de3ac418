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
    .option('--format <format>', 'text, json or sarif (SARIF 2.1.0, for GitHub code scanning)', 'text')
    .option('--json', 'same as --format json')
    .option('--rule <ids>', 'run only these rules (comma-separated, repeatable)', list)
    .option('--ignore <ids>', 'skip these rules (comma-separated, repeatable)', list)
    .option('--list-rules', 'print the rules with their severity and description, then exit')
    .option(
      '--list-suppressions',
      'print every suppression with its reason, expiry and status instead of findings',
    )
    .option(
      '--config <file>',
      'lint config file with suppressions (default: .nestkit-lint.yaml here, if any)',
    )
    .option(
      '--today <YYYY-MM-DD>',
      'the date suppression expiries are compared with (default: NESTKIT_LINT_TODAY, else today)',
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 no error (warnings allowed), 1 errors found (with --list-suppressions: an expired or\n' +
        'invalid suppression), 2 usage or runtime failure.',
    )
    .action(async (paths: string[], options) => {
      const { runLint } = await import('./run');
      process.exitCode = runLint(paths, options);
    });
}
