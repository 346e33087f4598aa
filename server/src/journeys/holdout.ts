import { createHash } from 'node:crypto';

/**
 * Where a customer falls for a journey's holdout, uniform in [0, 1) and the same every time: the first 32 bits of
 * md5("journeyId:customerId"). The enrollment statement computes the same in SQL (holdoutPositionSql).
 */
export function holdoutPosition(journeyId: string, customerId: string): number {
  return parseInt(createHash('md5').update(`${journeyId}:${customerId}`).digest('hex').slice(0, 8), 16) / 2 ** 32;
}

/** The SQL twin of holdoutPosition, over columns or parameters holding the journey and customer ids. */
export const holdoutPositionSql = (journeyId: string, customerId: string) => `(('x' || left(md5(${journeyId}::text || ':' || ${customerId}::text), 8))::bit(32)::bigint / 4294967296.0)`;
