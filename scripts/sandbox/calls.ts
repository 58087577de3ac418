/** One API call as the sandbox saw it, for `GET /_sandbox/calls`. */
export interface CallRecord {
  action: string;
  params: Record<string, string>;
  status: number;
  /** Virtual time of the call. */
  at: string;
  version?: string;
  requestId: string;
  code?: string;
}

/** Signature and protocol parameters are not business parameters and never logged (the Signature is a secret's function). */
const PROTOCOL_PARAMS = new Set([
  'AccessKeyId',
  'Signature',
  'SignatureMethod',
  'SignatureVersion',
  'SignatureNonce',
  'SignatureType',
  'SecurityToken',
  'Timestamp',
  'Format',
  'Version',
  'Action',
]);

export function businessParams(params: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).filter(([key]) => !PROTOCOL_PARAMS.has(key)));
}

/** The call log, in order, bounded so a benchmark cannot exhaust memory ([I] older entries drop). */
export class CallLog {
  private records: CallRecord[] = [];
  constructor(private readonly limit = 100_000) {}

  add(record: CallRecord): void {
    this.records.push(record);
    if (this.records.length > this.limit) this.records.splice(0, this.records.length - this.limit);
  }

  list(action?: string): CallRecord[] {
    return action ? this.records.filter((r) => r.action === action) : [...this.records];
  }

  clear(): void {
    this.records = [];
  }
}
