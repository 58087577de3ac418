import type { Command } from 'commander';

export function publishCommand(program: Command): void {
  program
    .command('publish')
    .description(
      'Register the service version (templates, plans, Marketplace SKU mappings) with Compute Nest; ' +
        'safe to repeat: nothing changed, no change made',
    )
    .option('-c, --config <file>', 'service description', 'service-config/service.yaml')
    .option('--dry-run', 'print the planned calls and a diff against the remote; change nothing')
    .option('--launch', 'submit for review, wait for approval, and launch (Online)')
    .option('--prelaunch', 'submit for review, wait for approval, and pre-release (Beta)')
    .option('--json', 'machine-readable result: serviceId, version, versionName, contentHash, calls')
    .option('--endpoint <url>', 'API endpoint, e.g. a sandbox at http://127.0.0.1:8900 (or NESTKIT_ENDPOINT)')
    .option('--verbose', 'print each API call (action, ids, RequestId; never credentials) on stderr')
    .option('--approval-timeout <seconds>', 'give up waiting for the review after this long', '3600')
    .option('--poll-interval <seconds>', 'seconds between two reads while waiting for the review', '30')
    .option('--sandbox-clock', 'with a sandbox endpoint: advance its virtual clock instead of waiting')
    .addHelpText(
      'after',
      '\nCredentials come from the @alicloud/credentials chain: ALIBABA_CLOUD_ACCESS_KEY_ID and\n' +
        'ALIBABA_CLOUD_ACCESS_KEY_SECRET, or ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and\n' +
        'ALIBABA_CLOUD_OIDC_TOKEN_FILE (CI), or a profile.\n' +
        'Exit codes: 0 published or up to date, 1 refused or failed (the message says what to do), 2 usage.',
    )
    .action(async (options) => {
      const { runPublish } = await import('./run');
      process.exitCode = await runPublish(options);
    });
}
