import { z } from 'zod';

/**
 * The PATCH form of a create schema: every field optional and no defaults, so a field left out of
 * an update keeps its stored value instead of being reset to the create default.
 */
export function patchSchema<Shape extends z.ZodRawShape>(create: z.ZodObject<Shape>) {
  const shape = Object.fromEntries(
    Object.entries(create.shape).map(([key, field]) => [key, field instanceof z.ZodDefault ? (field.unwrap() as z.ZodTypeAny) : field]),
  ) as { [K in keyof Shape]: Shape[K] extends z.ZodDefault<infer Inner> ? Inner : Shape[K] };
  return z.object(shape).partial();
}
