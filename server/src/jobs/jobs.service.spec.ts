import { keyedJobId } from './jobs.service';

describe('keyedJobId', () => {
  it('gives the same valid UUID for the same queue and key, and another for another key or queue', () => {
    const id = keyedJobId('mail.send', 'message-1');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(keyedJobId('mail.send', 'message-1')).toBe(id);
    expect(keyedJobId('mail.send', 'message-2')).not.toBe(id);
    expect(keyedJobId('other.queue', 'message-1')).not.toBe(id);
  });
});
