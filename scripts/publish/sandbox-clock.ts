/**
 * Waiting for a review on a sandbox: move its virtual clock through the admin API instead of sleeping.
 * Only for a sandbox endpoint (`nestkit sandbox`, `nestkit demo`); talks HTTP, not to the sandbox code.
 */
export function sandboxClockAdvancer(baseUrl: string): (seconds: number) => Promise<void> {
  return async (seconds) => {
    const response = await fetch(`${baseUrl.replace(/\/$/, '')}/_sandbox/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceSeconds: seconds }),
    });
    if (!response.ok)
      throw new Error(`the sandbox at ${baseUrl} did not advance its clock (HTTP ${response.status})`);
  };
}
