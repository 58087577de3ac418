/** One API call publish made, as reported in `--json` and `--verbose`: never a secret, never a payload. */
export interface CallEntry {
  action: string;
  /** True for calls that change the cloud (uploads included). */
  mutating: boolean;
  ok: boolean;
  requestId?: string;
  code?: string;
  /** Identifying parameters only (ServiceId, ServiceVersion, VersionName, FileName, ClientToken, ArtifactId ...). */
  params: Record<string, string>;
}

const SHOWN = [
  'ServiceId',
  'ServiceVersion',
  'VersionName',
  'FileName',
  'ClientToken',
  'ArtifactId',
  'ArtifactVersion',
];

/** Keeps the identifying parameters of a request; metadata and anything else stay out of logs. */
export function shownParams(params: object): Record<string, string> {
  const entries = Object.entries(params).filter(([key, value]) => SHOWN.includes(key) && value !== undefined);
  return Object.fromEntries(entries.map(([key, value]) => [key, String(value)]));
}

/** Records each call publish makes, in order, and tells a listener (the `--verbose` printer). */
export class CallRecorder {
  readonly entries: CallEntry[] = [];
  constructor(private readonly listener?: (entry: CallEntry) => void) {}

  async call<T extends { RequestId?: string }>(
    action: string,
    mutating: boolean,
    params: object,
    send: () => Promise<T>,
  ): Promise<T> {
    const entry: CallEntry = { action, mutating, ok: false, params: shownParams(params) };
    try {
      const result = await send();
      Object.assign(entry, { ok: true, requestId: result.RequestId });
      return result;
    } catch (error) {
      const e = error as { code?: string; requestId?: string };
      Object.assign(entry, { code: e.code, requestId: e.requestId });
      throw error;
    } finally {
      this.entries.push(entry);
      this.listener?.(entry);
    }
  }
}
