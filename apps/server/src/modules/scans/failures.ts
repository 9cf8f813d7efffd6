import type { ScanReport } from '@bastion/contract';
import { EgressError, type EgressErrorCode } from '../../egress/index.js';

// The one place that decides whether a failed scan is worth another attempt. Only network
// trouble is: a connection refused or reset, a timeout, a failed DNS lookup may be gone in a
// minute. A refused address or port, a bad scheme or a broken certificate will be the same on
// every attempt, and retrying them would only repeat the refusal.

const TRANSIENT: readonly EgressErrorCode[] = ['network', 'timeout', 'dns'];

/** What the engine reports when a site could not be retrieved at all, per transient cause. */
const TRANSIENT_MESSAGE =
  /ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EPIPE|EAI_AGAIN|socket hang up|timed? ?out|could not be resolved|no complete response/i;

export function isNetworkError(error: unknown): boolean {
  if (error instanceof EgressError) return TRANSIENT.includes(error.code);
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && TRANSIENT_MESSAGE.test(code);
}

/** A report without a result because the site could not be reached (not because it was refused). */
export function isNetworkFailure(report: Pick<ScanReport, 'error' | 'grade'>): boolean {
  return report.grade === null && report.error !== null && TRANSIENT_MESSAGE.test(report.error);
}
