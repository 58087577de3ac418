/**
 * Injected failures. A rule matches calls of one action (or `*`) and fires on a share of them, chosen
 * deterministically (with share 0.5, every second matching call), at most `count` times.
 */
export type FaultKind =
  | 'throttle' // answer 429 Throttling.User before doing anything
  | 'error' // answer a 5xx before doing anything
  | 'latency' // wait latencyMs (wall clock) before handling
  | 'failAfterCommit' // do the work, then answer 500 (or drop the connection with drop: true)
  | 'deployFail' // a deployment ends DeployedFailed
  | 'deleteFail' // a deletion ends DeletedFailed
  | 'upgradeFail' // an upgrade (UpgradeServiceInstance) ends DeployedFailed
  | 'emptyList' // a ListServiceInstances page answers well-formed but empty (no instances, no NextToken)
  | 'buildFail'; // the artifact build a CreateArtifact/UpdateArtifact starts ends failed

export const FAULT_KINDS: readonly FaultKind[] = [
  'throttle',
  'error',
  'latency',
  'failAfterCommit',
  'deployFail',
  'deleteFail',
  'upgradeFail',
  'emptyList',
  'buildFail',
];

export interface FaultRule {
  id: number;
  kind: FaultKind;
  action: string;
  share: number;
  count?: number;
  status?: number;
  latencyMs?: number;
  drop?: boolean;
  matched: number;
  fired: number;
}

export type FaultInput = Partial<Omit<FaultRule, 'id' | 'matched' | 'fired'>> & { kind: FaultKind };

export class Faults {
  private rules: FaultRule[] = [];
  private nextId = 1;

  add(input: FaultInput): FaultRule {
    if (!FAULT_KINDS.includes(input.kind))
      throw new RangeError(`kind must be one of ${FAULT_KINDS.join(', ')}`);
    const share = input.share ?? 1;
    if (!(share > 0 && share <= 1)) throw new RangeError('share must be in (0, 1]');
    const status = input.status ?? (input.kind === 'error' ? 503 : undefined);
    if (input.kind === 'error' && !(status! >= 500 && status! <= 599))
      throw new RangeError('status must be 5xx');
    const rule: FaultRule = {
      ...input,
      id: this.nextId++,
      action: input.action ?? '*',
      share,
      status,
      matched: 0,
      fired: 0,
    };
    this.rules.push(rule);
    return rule;
  }

  list(): FaultRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  remove(id?: number): void {
    this.rules = id === undefined ? [] : this.rules.filter((rule) => rule.id !== id);
  }

  /** The first rule of `kind` that fires for this call of `action`, counting the call either way. */
  take(kind: FaultKind, action: string): FaultRule | undefined {
    for (const rule of this.rules) {
      if (rule.kind !== kind || (rule.action !== '*' && rule.action !== action)) continue;
      if (rule.count !== undefined && rule.fired >= rule.count) continue;
      rule.matched += 1;
      if (Math.floor(rule.matched * rule.share) > Math.floor((rule.matched - 1) * rule.share)) {
        rule.fired += 1;
        return rule;
      }
    }
    return undefined;
  }
}
