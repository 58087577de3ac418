import { runCli } from '../../support/cli';

describe('nestkit demo', () => {
  it('plays the whole story on the sandbox and ends every order as expected', () => {
    const result = runCli(['demo', '--json']);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as {
      ok: boolean;
      results: { label: string; ok: boolean; deletions: number }[];
      timeline: { event: string }[];
    };
    expect(report.ok).toBe(true);
    expect(report.results.map((r) => [r.label, r.ok, r.deletions])).toEqual([
      ['basic (renewed, kept)', true, 0],
      ['advanced → premium (released)', true, 1],
      ['premium (lapsed, released)', true, 1],
      ['advanced via Compute Nest (lapsed)', true, 1],
      ['basic via licence (lapsed)', true, 1],
    ]);
    const events = report.timeline.map((t) => t.event);
    // The artifact step comes first: the image is built and released before the version that boots from it.
    expect(events.slice(0, 2)).toEqual(['artifact', 'artifact: build']);
    expect(events.filter((e) => !e.startsWith('artifact'))[0]).toBe('publish');
    expect(events.indexOf('publish')).toBeGreaterThan(events.lastIndexOf('artifact'));
    // Order ids follow the sandbox's sequence (timers take numbers too), so the upgrade is matched by its shape.
    expect(events).toContainEqual(
      expect.stringMatching(/^hook: order \d+ active \[advanced\] → active \[premium\]$/),
    );
    expect(events.filter((e) => /→ deleted/.test(e))).toHaveLength(4);
    expect(events).toContain('activate the licence on the ISV website');
  });
});
