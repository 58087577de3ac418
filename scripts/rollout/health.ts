/**
 * The application's own health check through the instance's endpoint: the first `http(s)://` value
 * among the instance's outputs, plus `--health-path`. An endpoint that cannot be reached from here (a
 * private network, a placeholder) leaves the instance's status as the only signal: `unreachable`.
 */
export type HealthResult =
  { kind: 'healthy' } | { kind: 'unreachable'; detail: string } | { kind: 'unhealthy'; detail: string };

export type HealthProbe = (outputs: Record<string, unknown>) => Promise<HealthResult>;

export function endpointOf(outputs: Record<string, unknown>): string | undefined {
  for (const value of Object.values(outputs))
    if (typeof value === 'string' && /^https?:\/\//.test(value)) return value;
  return undefined;
}

export function httpHealthProbe(
  path: string,
  timeoutMs = 5000,
  fetchImpl: typeof fetch = fetch,
): HealthProbe {
  return async (outputs) => {
    const endpoint = endpointOf(outputs);
    if (!endpoint) return { kind: 'unreachable', detail: 'no http(s) endpoint among the outputs' };
    const url = `${endpoint.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
    try {
      const response = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
      await response.body?.cancel();
      return response.status >= 200 && response.status < 400
        ? { kind: 'healthy' }
        : { kind: 'unhealthy', detail: `${url} answered HTTP ${response.status}` };
    } catch (error) {
      return { kind: 'unreachable', detail: `${url}: ${(error as Error).message}` };
    }
  };
}
