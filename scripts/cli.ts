import { Command, CommanderError } from 'commander';
import { ServiceConfigError, formatIssue } from '../service-config/errors';
import { CloudError } from './cloud/errors';
import { EXIT, UserError } from './errors';
import { paint } from './output';
import { lintCommand } from './lint/command';
import { synthCommand } from './synth/command';
import { sandboxCommand } from './sandbox/command';
import { publishCommand } from './publish/command';
import { hookCommand } from './hook/command';
import { demoCommand } from './demo/command';
import { rolloutCommand } from './rollout/command';
import { ordersCommand } from './orders/command';

/**
 * Each command module exports a function that declares the command and its options on the program.
 * Declaring is cheap; the work is imported lazily in each action, so `nestkit --help` stays fast.
 */
const COMMANDS: ((program: Command) => void)[] = [
  synthCommand,
  sandboxCommand,
  lintCommand,
  hookCommand,
  ordersCommand,
  publishCommand,
  rolloutCommand,
  demoCommand,
];

export function buildProgram(): Command {
  const program = new Command('nestkit')
    .description('Sell an instantiated SaaS on Alibaba Cloud Marketplace with Compute Nest.')
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  endQuietlyOnClosedPipe();
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    process.exitCode = report(error);
  }
}

/** Prints an error as the user should see it and returns the exit code. */
export function report(error: unknown): number {
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof ServiceConfigError) {
    for (const issue of error.issues)
      process.stderr.write(`${paint('error', 'red', process.stderr)} ${formatIssue(issue)}\n`);
    return EXIT.findings;
  }
  if (error instanceof CloudError) {
    const request = error.requestId ? ` (RequestId ${error.requestId})` : '';
    process.stderr.write(
      `${paint('error', 'red', process.stderr)} ${error.action ?? 'a cloud call'} failed: ${error.code}: ${error.message}${request}\n`,
    );
    return EXIT.findings;
  }
  if (isPortInUse(error)) {
    process.stderr.write(
      `${paint('error', 'red', process.stderr)} port ${error.port} on ${error.address} is in use by another program: stop it, or pick another port with --port (0 picks a free one) [PortInUse]\n`,
    );
    return EXIT.usage;
  }
  if (error instanceof UserError) {
    const where = error.location ? `${error.location}: ` : '';
    process.stderr.write(
      `${paint('error', 'red', process.stderr)} ${where}${error.message} [${error.code}]\n`,
    );
    return error.exitCode;
  }
  const detail = process.env.NESTKIT_DEBUG
    ? (error as Error)?.stack
    : String((error as Error)?.message ?? error);
  process.stderr.write(`${paint('error', 'red', process.stderr)} ${detail}\n`);
  return EXIT.usage;
}

/** `nestkit orders list | head`: the reader went away; what is left to print is not wanted. No stack trace. */
let pipeWatched = false;
function endQuietlyOnClosedPipe(): void {
  // Once per process: tests call main() many times in one.
  if (pipeWatched) return;
  pipeWatched = true;
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
      throw error;
    });
}

function isPortInUse(error: unknown): error is { port: number; address: string } {
  const e = error as { code?: unknown; syscall?: unknown } | undefined;
  return e?.code === 'EADDRINUSE' && e.syscall === 'listen';
}
