/** The `nestkit publish` action: options → publishService → summary or JSON, and the exit code. */
import { EXIT, UserError } from '../errors';
import { paint, printJson } from '../output';
import type { CallEntry } from './calls';
import { publishService, sandboxClockAdvancer, type PublishGoal } from './index';
import { describeError, formatError, formatResult } from './report';

export interface PublishCliOptions {
  config: string;
  dryRun?: boolean;
  launch?: boolean;
  prelaunch?: boolean;
  json?: boolean;
  endpoint?: string;
  verbose?: boolean;
  approvalTimeout: string;
  pollInterval: string;
  sandboxClock?: boolean;
}

export async function runPublish(options: PublishCliOptions): Promise<number> {
  const goal = goalOf(options);
  const calls: CallEntry[] = [];
  const log = (line: string) => process.stderr.write(`${line}\n`);
  try {
    const result = await publishService({
      config: options.config,
      goal,
      dryRun: options.dryRun,
      endpoint: options.endpoint,
      approval: approvalOf(options),
      progress: log,
      onCall: (entry) => {
        calls.push(entry);
        if (options.verbose) log(`  ${formatCall(entry)}`);
      },
      onRetry: options.verbose
        ? ({ action, attempt, delayMs, error }) =>
            log(`  retry ${action} (attempt ${attempt + 1}) in ${delayMs} ms after ${error.code}`)
        : undefined,
    });
    if (options.json) printJson(result);
    else process.stdout.write(formatResult(result));
    return EXIT.ok;
  } catch (error) {
    const report = describeError(error);
    if (!report) throw error;
    if (options.json) printJson({ error: report, calls });
    process.stderr.write(`${paint('error', 'red', process.stderr)} ${formatError(report)}\n`);
    return EXIT.findings;
  }
}

function goalOf(options: PublishCliOptions): PublishGoal {
  if (options.launch && options.prelaunch)
    throw new UserError('UsageError', 'choose one of --launch and --prelaunch', undefined, EXIT.usage);
  return options.launch ? 'launch' : options.prelaunch ? 'prelaunch' : 'draft';
}

function approvalOf(options: PublishCliOptions) {
  const seconds = (text: string, flag: string) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n <= 0)
      throw new UserError(
        'UsageError',
        `${flag} takes a whole number of seconds, not "${text}"`,
        undefined,
        EXIT.usage,
      );
    return n;
  };
  const endpoint = options.endpoint ?? process.env.NESTKIT_ENDPOINT;
  if (options.sandboxClock && !endpoint)
    throw new UserError('UsageError', '--sandbox-clock needs --endpoint (a sandbox)', undefined, EXIT.usage);
  return {
    timeoutSeconds: seconds(options.approvalTimeout, '--approval-timeout'),
    pollSeconds: seconds(options.pollInterval, '--poll-interval'),
    advance: options.sandboxClock && endpoint ? sandboxClockAdvancer(endpoint) : undefined,
  };
}

function formatCall(entry: CallEntry): string {
  const params = Object.entries(entry.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const outcome = entry.ok ? 'ok' : `failed ${entry.code ?? ''}`.trim();
  const id = entry.requestId ? ` RequestId=${entry.requestId}` : '';
  return `${entry.action} ${params} → ${outcome}${id}`.replace(/ {2,}/g, ' ');
}
