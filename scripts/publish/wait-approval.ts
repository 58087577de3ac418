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

/** A review as GetServiceRegistration reports it. */
export interface Review {
  registrationId: string;
  /** Submitted, Approved, Rejected, Canceled or Executed (the model's values). */
  status: string;
  /** The reviewer's comment, when there is one. */
  comment?: string;
  versionName?: string;
}

/**
 * Statuses that mean the review passed. [I] Executed: the approved draft was already launched or
 * pre-launched (by an earlier run whose answer was lost); the planner then sees that version instead.
 */
const PASSED = new Set(['Approved', 'Executed']);
/** Statuses that end a review without approval. */
const ENDED = new Set(['Rejected', 'Canceled']);

/**
 * Reads the review until it passes, telling `progress` each time; throws when it ends otherwise
 * (Rejected, Canceled, or a status the model does not list) or the timeout passes. Time is counted in
 * polls, so a virtual clock counts too.
 */
export async function waitForApproval(
  read: () => Promise<Review>,
  options: ApprovalOptions,
  progress: (line: string) => void,
): Promise<Review> {
  const timeout = options.timeoutSeconds ?? 3600;
  const poll = Math.max(1, options.pollSeconds ?? 30);
  for (let waited = 0; ; waited += poll) {
    const review = await read();
    if (PASSED.has(review.status)) return review;
    if (ENDED.has(review.status) || review.status !== 'Submitted') throw reviewEnded(review);
    if (waited >= timeout) throw timedOut(review, timeout);
    progress(
      `  in review: ${review.versionName ?? 'the draft'} (${review.registrationId}) is ${review.status} (${waited}s of ${timeout}s)`,
    );
    await (options.advance ?? sleepSeconds)(poll);
  }
}

function reviewEnded(review: Review): PublishError {
  const comment = review.comment ? `; the reviewer wrote: ${review.comment}` : '';
  return new PublishError(
    'ReviewNotApproved',
    `the review ${review.registrationId} of ${review.versionName ?? 'the draft'} ended with status ${review.status}${comment}`,
    review.status === 'Canceled'
      ? 'the review was withdrawn; run nestkit publish again to submit the draft anew'
      : `read the reviewer's comment in the Compute Nest console, fix service.yaml, and publish again`,
  );
}

function timedOut(review: Review, timeout: number): PublishError {
  return new PublishError(
    'ApprovalTimeout',
    `the review ${review.registrationId} of ${review.versionName ?? 'the draft'} is still Submitted after ${timeout}s`,
    'run the same nestkit publish again later: it waits for this review and launches the draft, without a new version',
  );
}

function sleepSeconds(seconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, seconds * 1000));
}
