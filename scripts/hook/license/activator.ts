import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { CloudError } from '../../cloud/errors';
import type {
  ActivateLicenseRequest,
  ActivateLicenseResponse,
  DescribeLicenseRequest,
  DescribeLicenseResponse,
  MarketLicense,
} from '../../cloud/market-types';
import type { ServiceModel } from '../../../service-config/model';
import type { HookLogger } from '../logger';
import { RefusalLog } from '../refusal-log';
import { transition, type Policy } from '../machine';
import type { HookStore } from '../store/store';
import type { HttpAnswer } from '../spi/handler';
import { spiAnswer } from '../spi/requests';
import { decideActivation } from './license-decision';
import { CREDENTIAL_REFUSALS, credentialRefusalHint } from './market-credential';

/** The Marketplace licence calls the activator needs (MarketApi of scripts/cloud implements them). */
export interface LicenseApi {
  describeLicense(request: DescribeLicenseRequest): Promise<DescribeLicenseResponse>;
  activateLicense(request: ActivateLicenseRequest): Promise<ActivateLicenseResponse>;
}

export interface LicenseDeps {
  market: LicenseApi;
  store: HookStore;
  model: ServiceModel;
  policy: Policy;
  now: () => Date;
  log: HookLogger;
  /** The bearer token the ISV's website back end sends (NESTKIT_LICENSE_TOKEN); without one the route is off. */
  token?: string;
  /** Where refused activations are logged, rate-limited (default: one of its own). */
  refusals?: RefusalLog;
}

const CODE = /^[A-Za-z0-9_-]{1,128}$/;
/** How long a replica's claim on activating a code lasts if it dies before giving it back. */
const LICENSE_CLAIM_MS = 60_000;
const failure = (status: number, code: string, message: string): HttpAnswer => ({
  status,
  body: { success: false, code, message },
});

/**
 * `POST /license/activate {licenseCode, identification?}`: verifies the code with the Marketplace,
 * activates it, and records the order in the same store and state machine as an SPI createInstance.
 * Activating a code twice, or twice at once, gives the same instance.
 */
export class LicenseActivator {
  private readonly running = new Map<string, Promise<HttpAnswer>>();
  /** This replica, as the holder of licence claims in the database. */
  private readonly owner = `licence-${randomUUID()}`;
  private readonly refusals: RefusalLog;

  constructor(private readonly deps: LicenseDeps) {
    this.refusals = deps.refusals ?? new RefusalLog(deps.log, () => deps.now().getTime());
  }

  /** Answers an activation; a refused one is logged (rate-limited) with its reason and the code's start. */
  async handle(body: unknown, authorization: string | undefined): Promise<HttpAnswer> {
    const answer = await this.answer(body, authorization);
    if (answer.status >= 400) {
      const code = (body as { licenseCode?: unknown } | null)?.licenseCode;
      const { code: reason, message } = answer.body as { code?: string; message?: string };
      this.refusals.refused({
        route: 'license',
        reason: reason ?? `HTTP ${answer.status}`,
        // The code lets a buyer activate: only its start goes to the log, enough to find the order.
        ...(typeof code === 'string' ? { orderId: `licence ${code.slice(0, 4)}…` } : {}),
        message,
      });
    }
    return answer;
  }

  private answer(body: unknown, authorization: string | undefined): Promise<HttpAnswer> {
    if (!this.deps.token)
      return Promise.resolve(
        failure(
          403,
          'LicenseActivationOff',
          'licence activation is off: set NESTKIT_LICENSE_TOKEN on the hook',
        ),
      );
    if (!bearerMatches(authorization, this.deps.token))
      return Promise.resolve(
        failure(401, 'Unauthorized', 'send Authorization: Bearer <NESTKIT_LICENSE_TOKEN>'),
      );
    const { licenseCode, identification } = (body ?? {}) as {
      licenseCode?: unknown;
      identification?: unknown;
    };
    if (typeof licenseCode !== 'string' || !CODE.test(licenseCode)) {
      return Promise.resolve(
        failure(400, 'InvalidLicenseCode', 'licenseCode must be a licence code (letters, digits, - and _)'),
      );
    }
    if (identification !== undefined && (typeof identification !== 'string' || identification.length > 64)) {
      return Promise.resolve(
        failure(400, 'InvalidIdentification', 'identification must be the buyer account id, a string'),
      );
    }
    const current = this.running.get(licenseCode);
    if (current) return current; // a concurrent activation of the same code shares this one's answer
    const work = this.activate(licenseCode, identification).finally(() => this.running.delete(licenseCode));
    this.running.set(licenseCode, work);
    return work;
  }

  private async activate(code: string, identification: string | undefined): Promise<HttpAnswer> {
    const { market, store, model, policy, now, log } = this.deps;
    const described = await this.describe(code);
    if ('status' in described) return described;
    const decision = decideActivation(described, model, now().toISOString());
    if (!decision.ok) return failure(decision.status, decision.code, decision.message);
    if (decision.needsActivation) {
      // Across replicas, in the database: one activates a code at a time, another answers 409 (retry).
      if (!(await store.claimLicense(code, this.owner, now().getTime(), LICENSE_CLAIM_MS)))
        return failure(
          409,
          'ActivationInProgress',
          `licence ${code} is being activated; try again in a moment`,
        );
      try {
        await market.activateLicense({ LicenseCode: code, Identification: identification });
      } catch (error) {
        // The answer may have been lost after the Marketplace activated it, or another replica won: look again.
        const again = await this.describe(code);
        if ('status' in again) return again;
        if (again.LicenseStatus !== 'ACTIVATED') return this.marketplaceFailure(error, code);
      } finally {
        await store.releaseLicense(code, this.owner).catch(() => undefined); // else it expires
      }
    }
    const { record } = await store.applyEvent(decision.instanceId, 'license', decision.create, (r) =>
      transition(r, decision.create, policy),
    );
    log.info({ instanceId: record.id, state: record.state, licence: 'activated' }, 'licence activated');
    const answer = spiAnswer('createInstance', record);
    return {
      status: 200,
      body: {
        success: true,
        instanceId: record.id,
        status: record.state,
        ...('appInfo' in answer ? { appInfo: answer.appInfo } : {}),
      },
    };
  }

  private async describe(code: string): Promise<MarketLicense | HttpAnswer> {
    try {
      const { License } = await this.deps.market.describeLicense({ LicenseCode: code });
      if (!License)
        return failure(502, 'MarketplaceError', `DescribeLicense answered no License for ${code}`);
      return License;
    } catch (error) {
      return this.marketplaceFailure(error, code);
    }
  }

  /**
   * A Marketplace refusal as the website back end sees it. Expired and discarded codes refused as
   * errors read as the statuses they stand for; a refused kind of credential is the operator's to
   * fix, so it is logged with what to set.
   */
  private marketplaceFailure(error: unknown, licenseCode: string): HttpAnswer {
    if (!(error instanceof CloudError))
      return failure(502, 'MarketplaceError', (error as Error)?.message ?? String(error));
    const detail = `${error.code}: ${error.message}${error.requestId ? ` (RequestId ${error.requestId})` : ''}`;
    if ((CREDENTIAL_REFUSALS as readonly string[]).includes(error.code)) {
      const hint = credentialRefusalHint(error.code);
      this.deps.log.error({ licenseCode, error: error.code, action: error.action }, hint);
      return failure(503, 'MarketCredentialRefused', `${hint}; ${detail}`);
    }
    switch (error.code) {
      case 'License.NotFound':
        return failure(404, 'LicenseNotFound', `no licence ${licenseCode} for this product; ${detail}`);
      case 'Auth.Match':
        return failure(
          403,
          'LicenseOfAnotherSupplier',
          `licence ${licenseCode} is for another ISV's product, not this one; ${detail}`,
        );
      case 'License.Expired':
        return failure(
          410,
          'LicenseExpired',
          `licence ${licenseCode} has expired; renew it in the Marketplace; ${detail}`,
        );
      case 'License.Discard':
        return failure(
          410,
          'LicenseDiscarded',
          `licence ${licenseCode} was discarded (the order was released or refunded); ${detail}`,
        );
      case 'License.Invalid':
        return failure(409, 'LicenseInvalid', detail);
      default:
        return failure(502, 'MarketplaceError', detail);
    }
  }
}

/** Constant time, and the lengths compared are those of digests, so the token's length does not leak. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(header?.startsWith('Bearer ') ? header.slice(7) : ''), digest(token));
}
