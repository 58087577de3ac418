import type { RemoteVersion } from './plan';
import { PublishError } from './errors';

export interface ApprovalOptions {
  /** Give up after this many seconds of waiting (default 3600); a re-run resumes the wait. */
  timeoutSeconds?: number;
  /** Seconds between two reads (default 30). */
  pollSeconds?: number;
  /**
   * Instead of waiting, move time forward (a sandbox's virtual clock). When absent, publish sleeps.
   */
  advance?: (seconds: number) => Promise<unknown> | unknown;
}

/** [I] Statuses that mean the review passed; Beta and Online are reached only through Approved. */
const APPROVED = new Set(['Approved', 'Beta', 'Online']);

/**
 * Reads the submitted version until its review passes, telling `progress` each time; throws when the
 * review ends otherwise or the timeout passes. Time is counted in polls, so a virtual clock counts too.
 */
export async function waitForApproval(
  read: () => Promise<RemoteVersion | undefined>,
  options: ApprovalOptions,
  progress: (line: string) => void,
): Promise<RemoteVersion> {
  const timeout = options.timeoutSeconds ?? 3600;
  const poll = Math.max(1, options.pollSeconds ?? 30);
  for (let waited = 0; ; waited += poll) {
    const version = await read();
    if (!version) throw new PublishError('VersionGone', 'the submitted version no longer exists', RESUBMIT);
    if (APPROVED.has(version.status)) return version;
    if (version.status !== 'Submitted') throw reviewEnded(version);
    if (waited >= timeout) throw timedOut(version, timeout);
    progress(`  in review: version ${version.version} is ${version.status} (${waited}s of ${timeout}s)`);
    await (options.advance ?? sleepSeconds)(poll);
  }
}

const RESUBMIT = 'check the service in the Compute Nest console, then run nestkit publish again';

function reviewEnded(version: RemoteVersion): PublishError {
  return new PublishError(
    'ReviewNotApproved',
    `the review of version ${version.version} (${version.versionName}) ended with status ${version.status}`,
    `read the reviewer's comment in the Compute Nest console, fix service.yaml, and publish again`,
  );
}

function timedOut(version: RemoteVersion, timeout: number): PublishError {
  return new PublishError(
    'ApprovalTimeout',
    `version ${version.version} (${version.versionName}) is still in review after ${timeout}s`,
    'run the same nestkit publish again later: it waits for this version and launches it, without a new version',
  );
}

function sleepSeconds(seconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, seconds * 1000));
}
