import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '../../../scripts/hook/logger';
import { derivePassword } from '../../../scripts/hook/order-parameters';
import { spiTime } from '../../../scripts/marketplace/spi-token';
import { createParams, hookWorld, SPI_KEY, type HookWorld } from './support';

const PASSWORD_SECRET = 'scan-test-password-secret-0123456789abcdef';
const LICENSE_TOKEN = 'scan-test-licence-token-0123';
const SSO_KEY = 'scan-test-sso-key-0123456789abcdef0123456789';
const ACCESS_KEY_SECRET = 'sandbox-secret';

describe('hook: no secret in the logs or the database (issue 14.9)', () => {
  let w: HookWorld;
  const lines: string[] = [];
  beforeAll(async () => {
    w = await hookWorld({
      passwordSecret: PASSWORD_SECRET,
      licenseToken: LICENSE_TOKEN,
      ssoKey: SSO_KEY,
      log: createLogger({
        level: 'debug',
        destination: new Writable({
          write(chunk: Buffer, _encoding, done) {
            lines.push(chunk.toString('utf8'));
            done();
          },
        }),
      }),
    });
  });
  afterAll(() => w.close());

  it('keeps every secret the hook handles out of each log line and each database file', async () => {
    const ids = ['70101', '70102'];
    for (const id of ids) await w.spi(createParams(id, { BackupStorage: '1' }));
    await w.settleDeployments();
    const answers = await Promise.all(ids.map((id) => w.spi(createParams(id, { BackupStorage: '1' }))));
    const passwords = ids.map((id) => derivePassword(PASSWORD_SECRET, id));
    // The buyer gets the password in the answer: the scan below is not blind.
    expect(answers.map((a) => (a.body.appInfo as { password?: string }).password)).toEqual(passwords);
    await w.spi({
      action: 'renewInstance',
      instanceId: ids[0],
      orderId: '208999',
      expiredOn: '2027-02-01 08:00:00',
    });
    await w.spi({
      action: 'upgradeInstance',
      instanceId: ids[1],
      orderId: '209001',
      skuId: 'yuncode5012300002',
    });
    await w.spi({ action: 'verify', instanceId: ids[0], timeStamp: spiTime(w.box.clock.now()) });
    await w.spi({ action: 'releaseInstance', instanceId: ids[1] }, 'a-wrong-isv-key-0123456');
    await fetch(`${w.hook.url}/license/activate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${LICENSE_TOKEN}x` },
      body: JSON.stringify({ licenseCode: 'LIC-unknown' }),
    });
    await w.hook.drain();
    await w.advance(60);
    await w.hook.reconcilePass();

    const secrets = {
      SPI_KEY,
      PASSWORD_SECRET,
      LICENSE_TOKEN,
      SSO_KEY,
      ACCESS_KEY_SECRET,
      ...Object.fromEntries(passwords.map((p, i) => [`admin password of ${ids[i]}`, p])),
    };
    const files = readdirSync(w.dir).filter((f) => f.startsWith('nestkit.db'));
    expect(files).toContain('nestkit.db');
    const haystacks: Record<string, string> = {
      log: lines.join(''),
      ...Object.fromEntries(files.map((f) => [f, readFileSync(join(w.dir, f)).toString('latin1')])),
    };
    expect(lines.length).toBeGreaterThan(10);
    const found: string[] = [];
    for (const [where, text] of Object.entries(haystacks))
      for (const [name, secret] of Object.entries(secrets)) {
        if (text.includes(secret) || text.includes(encodeURIComponent(secret)))
          found.push(`${name} in ${where}`);
      }
    expect(found).toEqual([]);

    // The refusals were logged with their reason and order (issue 15.1), the licence code only by its start.
    const refused = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => /refused/.test(String(l.msg)));
    expect(refused).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reason: 'InvalidToken', action: 'releaseInstance', instanceId: ids[1] }),
        expect.objectContaining({ reason: 'Unauthorized', orderId: 'licence LIC-…' }),
      ]),
    );
  });
});
