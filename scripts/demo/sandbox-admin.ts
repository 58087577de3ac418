/** The sandbox's admin API (`/_sandbox/*`) over HTTP, as the demo drives the simulated Marketplace. */
export class SandboxAdmin {
  constructor(private readonly baseUrl: string) {}

  async post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.send<T>('POST', path, body);
  }

  async get<T>(path: string): Promise<T> {
    return this.send<T>('GET', path);
  }

  private async send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}/_sandbox${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const parsed = (await response.json()) as T;
    if (!response.ok)
      throw new Error(`sandbox ${method} ${path}: HTTP ${response.status} ${JSON.stringify(parsed)}`);
    return parsed;
  }
}

export interface SandboxOrder {
  orderBizId: string;
  skuId: string;
  status: string;
  isvInstanceId?: string;
  serviceInstanceId?: string;
}
