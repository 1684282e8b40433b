/**
 * Response statuses and failure reasons.
 *
 * A status is an HTTP-like code (200, 429, 500, 503, 504, or any 4xx/5xx a component is
 * configured to return) or DROPPED: the node lost the request and the caller learns of
 * it as a reset connection. A reason says why (queue full, node down, ...) and is kept
 * with the node where the failure started, so "503" at the client can be traced to
 * "queue-full at db".
 */

export const PENDING = 0;
/** The request was lost: the node holding it crashed. */
export const DROPPED = 1;
export const OK = 200;

/** The failure columns of every time series, in this order. */
export const FAIL_KEYS = ['429', '500', '503', '504', 'dropped', 'other'] as const;
export type FailKey = (typeof FAIL_KEYS)[number];

/** The failure column of a status. */
export function failSlot(status: number): number {
  switch (status) {
    case 429:
      return 0;
    case 500:
      return 1;
    case 503:
      return 2;
    case 504:
      return 3;
    case DROPPED:
      return 4;
    default:
      return 5;
  }
}

/** A status as it appears in reports: "200", "503", "dropped". */
export function statusName(status: number): string {
  return status === DROPPED ? 'dropped' : String(status);
}

/** Built-in failure reasons; components may register more with `Simulation.reason()`. */
export const R = {
  OK: 0,
  DOWN: 1,
  QUEUE_FULL: 2,
  ERROR: 3,
  CRASHED: 4,
  CLIENT_TIMEOUT: 5,
  CALL_TIMEOUT: 6,
  EXPIRED: 7,
  NO_BACKEND: 8,
} as const;

export const BUILTIN_REASONS = [
  'ok',
  'node-down',
  'queue-full',
  'server-error',
  'crashed',
  'client-timeout',
  'call-timeout',
  'deadline-expired',
  'no-healthy-backend',
];

/** Human explanations of the built-in reasons, for docs and tooltips. */
export const REASON_HELP: Record<string, string> = {
  'node-down': 'the node was crashed when the request arrived (connection refused)',
  'queue-full': 'all workers were busy and the queue was at capacity',
  'server-error': "the node's error rate failed the request after serving it",
  crashed: 'the node crashed while holding the request',
  'client-timeout': 'the client gave up waiting (its timeout elapsed)',
  'call-timeout': "a call to a downstream node (a server's, or a write a cache passed to its backing store) exceeded its call timeout",
  'deadline-expired': "the request's deadline had passed when a worker picked it up",
  'no-healthy-backend': 'the load balancer had no healthy backend to send it to',
};
