import Credential, { Config as CredentialConfig } from '@alicloud/credentials';
import { EXIT, UserError } from '../../errors';

/** The AccessKey the Market licence calls sign with, when the hook's own credential is refused by them. */
export const MARKET_ACCESS_KEY_ID_ENV = 'NESTKIT_MARKET_ACCESS_KEY_ID';
export const MARKET_ACCESS_KEY_SECRET_ENV = 'NESTKIT_MARKET_ACCESS_KEY_SECRET';

/**
 * A separate credential for DescribeLicense and ActivateLicense from NESTKIT_MARKET_ACCESS_KEY_ID and
 * NESTKIT_MARKET_ACCESS_KEY_SECRET, or undefined when neither is set (the Market calls then use the
 * hook's credential). One without the other is a usage error. The secret is never logged or stored.
 */
export function marketCredentialFromEnv(env: NodeJS.ProcessEnv = process.env): Credential | undefined {
  const accessKeyId = env[MARKET_ACCESS_KEY_ID_ENV] ?? '';
  const accessKeySecret = env[MARKET_ACCESS_KEY_SECRET_ENV] ?? '';
  if (!accessKeyId && !accessKeySecret) return undefined;
  if (!accessKeyId || !accessKeySecret)
    throw new UserError(
      'MarketCredentialIncomplete',
      `set both ${MARKET_ACCESS_KEY_ID_ENV} and ${MARKET_ACCESS_KEY_SECRET_ENV}, or neither`,
      undefined,
      EXIT.usage,
    );
  return new Credential(new CredentialConfig({ type: 'access_key', accessKeyId, accessKeySecret }));
}

/** The Market error codes that refuse the kind of credential rather than the request. */
export const CREDENTIAL_REFUSALS = ['Auth.CallerType', 'Auth.SubAccount.Error'] as const;

/** What the operator must do when a Market licence call refuses the hook's kind of credential. */
export function credentialRefusalHint(code: string): string {
  return (
    `the Marketplace refused the credential of the licence calls (${code}): they need the AccessKey of ` +
    `the ISV's Alibaba Cloud account, not a RAM user or STS token; set ${MARKET_ACCESS_KEY_ID_ENV} and ` +
    `${MARKET_ACCESS_KEY_SECRET_ENV} on the hook (scripts/hook/README.md, licence mode)`
  );
}
