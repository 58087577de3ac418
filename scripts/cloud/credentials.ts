import Credential from '@alicloud/credentials';

/** No usable credential: what the chain said, and what to set. The secret itself is never in it. */
export class CredentialsMissing extends Error {
  readonly code = 'CredentialsMissing';
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'CredentialsMissing';
  }
}

/**
 * The credential the cloud calls sign with: the given one, or the @alicloud/credentials default chain
 * (environment, OIDC role, CLI profile, ECS role ...). Resolved once before the first call, so that a
 * missing configuration is reported as such instead of as a network failure of the first API call.
 * Nothing of the credential is ever printed.
 */
export async function resolveCredential(given?: Credential): Promise<Credential> {
  const credential = given ?? new Credential();
  try {
    await credential.getCredential();
  } catch (error) {
    throw new CredentialsMissing(
      `no usable Alibaba Cloud credentials: ${firstLine(error)}`,
      'set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or in CI ALIBABA_CLOUD_ROLE_ARN, ' +
        'ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE (scripts/publish/README.md)',
    );
  }
  return credential;
}

function firstLine(error: unknown): string {
  const text = String((error as Error)?.message ?? error);
  const short = text.split('\n')[0];
  return short.length > 300 ? `${short.slice(0, 300)}…` : short;
}
