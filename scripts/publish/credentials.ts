import type Credential from '@alicloud/credentials';
import { CredentialsMissing, resolveCredential as resolveCloudCredential } from '../cloud/credentials';
import { PublishError } from './errors';

/** The credential publish signs with (see `scripts/cloud/credentials.ts`); a missing one as a PublishError. */
export async function resolveCredential(given?: Credential): Promise<Credential> {
  try {
    return await resolveCloudCredential(given);
  } catch (error) {
    if (!(error instanceof CredentialsMissing)) throw error;
    throw new PublishError(error.code, error.message, error.hint);
  }
}
