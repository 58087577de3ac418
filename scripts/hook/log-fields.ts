import { CloudError } from '../cloud';

/**
 * The fields an operator needs to act on a failure, the same in every log line: the cloud's own code,
 * message and RequestId (what Alibaba Cloud support asks for), the HTTP status and the action.
 */
export interface ErrorFields {
  error: string;
  code?: string;
  requestId?: string;
  status?: number;
  action?: string;
}

export function errorFields(error: unknown): ErrorFields {
  if (error instanceof CloudError) {
    return {
      error: error.message,
      code: error.code,
      ...(error.requestId ? { requestId: error.requestId } : {}),
      ...(error.status === undefined ? {} : { status: error.status }),
      ...(error.action ? { action: error.action } : {}),
    };
  }
  return { error: error instanceof Error ? error.message : String(error) };
}

/** Most ids a log line lists: a teardown pass is capped by --max-teardowns (100) anyway. */
export const MAX_LOGGED_IDS = 200;

/** The ids an operator needs to find what a pass touched, bounded so one line stays one line. */
export function idList(ids: string[]): { orders: string[]; ordersNotListed?: number } {
  return ids.length <= MAX_LOGGED_IDS
    ? { orders: ids }
    : { orders: ids.slice(0, MAX_LOGGED_IDS), ordersNotListed: ids.length - MAX_LOGGED_IDS };
}
