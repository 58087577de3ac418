import Credential, { Config as CredentialConfig } from '@alicloud/credentials';
import { createSupplierApi } from '../../scripts/cloud/supplier';
import { startSandbox } from '../../scripts/sandbox';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  target?: string;
}

/**
 * GetServiceInstance calls per second served by an in-process sandbox, through the official client
 * (ACS3 signing, signature verification, JSON both ways), with a few calls in flight at once, as a
 * reconciler paging and polling would have.
 */
export async function benchSandbox(
  options: { calls?: number; concurrency?: number } = {},
): Promise<BenchResult[]> {
  const calls = options.calls ?? 5000;
  const concurrency = options.concurrency ?? 16;
  const box = await startSandbox({ port: 0 });
  try {
    const api = createSupplierApi({
      endpoint: box.url,
      credential: new Credential(
        new CredentialConfig({
          type: 'access_key',
          accessKeyId: 'sandbox',
          accessKeySecret: 'sandbox-secret',
        }),
      ),
    });
    const { ServiceId } = await api.createService({
      DeployType: 'ros',
      ServiceInfo: [{ Locale: 'en-US', Name: 'bench' }],
    });
    const ids: string[] = [];
    for (let i = 0; i < 100; i++)
      ids.push(
        (await api.createServiceInstance({ ServiceId: ServiceId!, ServiceVersion: 'draft' }))
          .ServiceInstanceId!,
      );
    for (let i = 0; i < 200; i++) await api.getServiceInstance({ ServiceInstanceId: ids[i % ids.length] });
    let next = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < calls) {
          const i = next++;
          await api.getServiceInstance({ ServiceInstanceId: ids[i % ids.length] });
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return [
      {
        name: 'sandbox GetServiceInstance through @alicloud/openapi-client',
        value: Math.round(calls / seconds),
        unit: 'calls/s',
        target: '>= 1000',
      },
    ];
  } finally {
    await box.close();
  }
}

if (require.main === module) {
  benchSandbox().then((results) => console.table(results));
}
