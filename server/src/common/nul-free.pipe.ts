import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { InvalidFieldError } from './errors';

/** The first path (e.g. "customer.name") at which a string holds a NUL character, or null. */
function nulPath(value: unknown, path: string[]): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') || '(body)' : null;
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return null;
  for (const [key, entry] of Object.entries(value)) {
    const found = nulPath(entry, [...path, key]);
    if (found) return found;
  }
  return null;
}

/**
 * PostgreSQL cannot store NUL in text or jsonb: request bodies, queries and path parameters holding one
 * are refused with a 400 naming the field, before any handler or query sees them.
 */
@Injectable()
export class NulFreePipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const field = nulPath(value, metadata.type === 'param' && metadata.data ? [metadata.data] : []);
    if (field) throw new InvalidFieldError(field, 'must not contain NUL characters');
    return value;
  }
}
