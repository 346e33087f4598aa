import { z } from 'zod';
import { patchSchema } from './patch';

describe('patchSchema', () => {
  const Create = z.object({ name: z.string(), port: z.number().default(993), tags: z.array(z.string()).default([]) });

  it('leaves out what the update does not name, instead of filling in create defaults', () => {
    expect(patchSchema(Create).parse({ name: 'renamed' })).toEqual({ name: 'renamed' });
  });

  it('still validates the fields that are given', () => {
    expect(patchSchema(Create).safeParse({ port: 'x' }).success).toBe(false);
    expect(patchSchema(Create).parse({ port: 143 })).toEqual({ port: 143 });
  });
});
