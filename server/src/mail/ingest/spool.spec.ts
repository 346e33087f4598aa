import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sweepStaleSpools } from './spool';

describe('sweepStaleSpools', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'spool-sweep-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('removes what a process that died mid-import left, and keeps live spools and everything else', async () => {
    // A process that has exited: its pid no longer runs.
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    for (const name of [`careloop-mail-${deadPid}-a1b2c3`, `careloop-mail-${process.pid}-d4e5f6`, 'careloop-mail-legacy', 'something-else']) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'source.eml'), 'From: a@example.com\r\n\r\nbody');
    }

    expect(await sweepStaleSpools(dir)).toBe(1);
    expect(readdirSync(dir).sort()).toEqual([`careloop-mail-${process.pid}-d4e5f6`, 'careloop-mail-legacy', 'something-else']);
  });
});
