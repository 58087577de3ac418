import { waitForApproval, type Review } from '../../../scripts/publish/wait-approval';

/** A review (GetServiceRegistration) as a sequence of statuses, one per read; time moves only through `advance`. */
function review(statuses: string[], comment?: string) {
  let read = 0;
  const advanced: number[] = [];
  return {
    advanced,
    read: async (): Promise<Review> => ({
      registrationId: 'sr-1',
      versionName: '1.4.0-abcdef01',
      status: statuses[Math.min(read++, statuses.length - 1)],
      comment,
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
      '  in review: 1.4.0-abcdef01 (sr-1) is Submitted (0s of 3600s)',
      '  in review: 1.4.0-abcdef01 (sr-1) is Submitted (20s of 3600s)',
    ]);
  });

  it('gives up after the timeout with what to do next', async () => {
    const r = review(['Submitted']);
    await expect(
      waitForApproval(r.read, { pollSeconds: 10, timeoutSeconds: 30, advance: r.advance }, () => undefined),
    ).rejects.toMatchObject({ code: 'ApprovalTimeout', hint: expect.stringMatching(/again later/) });
    expect(r.advanced).toEqual([10, 10, 10]);
  });

  it('stops when the review is Rejected, with the reviewer comment, or Canceled', async () => {
    const rejected = review(['Submitted', 'Rejected'], 'no icon');
    await expect(
      waitForApproval(rejected.read, { advance: rejected.advance }, () => undefined),
    ).rejects.toMatchObject({
      code: 'ReviewNotApproved',
      message: expect.stringMatching(/ended with status Rejected; the reviewer wrote: no icon/),
    });
    const canceled = review(['Canceled']);
    await expect(
      waitForApproval(canceled.read, { advance: canceled.advance }, () => undefined),
    ).rejects.toMatchObject({
      code: 'ReviewNotApproved',
      hint: expect.stringMatching(/submit the draft anew/),
    });
  });

  it('takes Executed (the approved draft was already launched) as passed', async () => {
    const r = review(['Executed']);
    expect((await waitForApproval(r.read, { advance: r.advance }, () => undefined)).status).toBe('Executed');
  });
});
