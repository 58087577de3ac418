import {
  credentialRefusalHint,
  marketCredentialFromEnv,
} from '../../../scripts/hook/license/market-credential';

describe('the separate Market credential', () => {
  it('is off without NESTKIT_MARKET_ACCESS_KEY_ID and _SECRET', () => {
    expect(marketCredentialFromEnv({})).toBeUndefined();
  });

  it('is an AccessKey credential from both variables', async () => {
    const credential = marketCredentialFromEnv({
      NESTKIT_MARKET_ACCESS_KEY_ID: 'LTAI-account',
      NESTKIT_MARKET_ACCESS_KEY_SECRET: 'account-secret',
    });
    await expect(credential?.getCredential()).resolves.toMatchObject({
      accessKeyId: 'LTAI-account',
      accessKeySecret: 'account-secret',
      type: 'access_key',
    });
  });

  it('refuses one variable without the other as a usage error, without echoing the secret', () => {
    expect(() => marketCredentialFromEnv({ NESTKIT_MARKET_ACCESS_KEY_SECRET: 'account-secret' })).toThrow(
      expect.objectContaining({ code: 'MarketCredentialIncomplete', exitCode: 2 }),
    );
    try {
      marketCredentialFromEnv({ NESTKIT_MARKET_ACCESS_KEY_SECRET: 'account-secret' });
    } catch (error) {
      expect((error as Error).message).not.toContain('account-secret');
    }
  });

  it('names what to set when a licence call refuses the kind of credential', () => {
    expect(credentialRefusalHint('Auth.CallerType')).toMatch(
      /Auth\.CallerType.*not a RAM user or STS token.*NESTKIT_MARKET_ACCESS_KEY_ID and NESTKIT_MARKET_ACCESS_KEY_SECRET/,
    );
  });
});
