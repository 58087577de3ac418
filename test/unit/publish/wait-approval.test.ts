import type { RemoteVersion } from '../../../scripts/publish/plan';
import { waitForApproval } from '../../../scripts/publish/wait-approval';

/** A review as a sequence of statuses, one per read; time moves only through `advance`. */
function review(statuses: string[]) {
  let read = 0;
  const advanced: number[] = [];
  return {
    advanced,
    read: async (): Promise<RemoteVersion> => ({
      version: '3',
      versionName: '1.4.0-abcdef01',
      status: statuses[Math.min(read++, statuses.length - 1)],
    }),
    advance: (seconds: number) => void advanced.push(seconds),
  };
}

describe('waiting for the review', () => {
  it('polls until Approved, reporting each wait', async () => {
    const r = review(['Submitted', 'Submitted', 'Approved']);
    const lines: string[] = [];
    const version = await waitForApproval(r.read, { pollSeconds: 20, advance: r.advance }, (l) =>
      lines.push(l),
    );
    expect(version.status).toBe('Approved');
    expect(r.advanced).toEqual([20, 20]);
    expect(lines).toEqual([
      '  in review: version 3 is Submitted (0s of 3600s)',
      '  in review: version 3 is Submitted (20s of 3600s)',
    ]);
  });

  it('gives up after the timeout with what to do next', async () => {
    const r = review(['Submitted']);
    await expect(
      waitForApproval(r.read, { pollSeconds: 10, timeoutSeconds: 30, advance: r.advance }, () => undefined),
    ).rejects.toMatchObject({ code: 'ApprovalTimeout', hint: expect.stringMatching(/again later/) });
    expect(r.advanced).toEqual([10, 10, 10]);
  });

  it('stops when the review ends in anything but approval', async () => {
    const r = review(['Submitted', 'Draft']);
    await expect(waitForApproval(r.read, { advance: r.advance }, () => undefined)).rejects.toMatchObject({
      code: 'ReviewNotApproved',
      message: expect.stringContaining('ended with status Draft'),
    });
  });
});
