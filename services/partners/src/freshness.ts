import { envInt } from '@integration-graph/common';

/** A directory entry not verified for this many days is stale (DIRECTORY_STALE_AFTER_DAYS, default 180). */
export function staleAfterDays(): number {
  return envInt('DIRECTORY_STALE_AFTER_DAYS', 180);
}

/** Stale: never verified, or last verified longer ago than the threshold. */
export function isStale(lastVerifiedAt: Date | null, now = new Date()): boolean {
  if (!lastVerifiedAt) return true;
  return now.getTime() - lastVerifiedAt.getTime() > staleAfterDays() * 24 * 60 * 60 * 1000;
}
