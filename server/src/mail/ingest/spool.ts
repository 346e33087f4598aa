import type { ImapFlow } from 'imapflow';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

/**
 * Sources at least this large are not fetched into memory: they stream into a file (see spoolSource) and
 * are split and parsed from there, so a 25 MB attachment is never held whole, let alone three times.
 */
export const SPOOL_BYTES = 4 * 1024 * 1024;
/** Download slices (one FETCH BODY.PEEK[]<offset.length> each): few round trips, little memory. */
const DOWNLOAD_CHUNK = 1024 * 1024;

/** Spool directories are named after the process that made them, so a restart can tell its dead predecessors' apart. */
const SPOOL_PREFIX = 'careloop-mail-';
const SPOOL_NAME = /^careloop-mail-(\d+)-/;

/** A message source in a file of its own directory (which also takes its decoded attachment bodies). */
export interface SpooledSource {
  dir: string;
  path: string;
  size: number;
}

/** Streams the source of message `uid` of the selected folder into a new spool directory (BODY.PEEK: \Seen stays as it is). */
export async function spoolSource(imap: ImapFlow, uid: string): Promise<SpooledSource | null> {
  const dir = await mkdtemp(join(tmpdir(), `${SPOOL_PREFIX}${process.pid}-`));
  const path = join(dir, 'source.eml');
  try {
    const { content } = await imap.download(uid, undefined, { uid: true, chunkSize: DOWNLOAD_CHUNK });
    if (!content) {
      await removeSpool({ dir });
      return null;
    }
    await pipeline(content, createWriteStream(path));
    return { dir, path, size: (await stat(path)).size };
  } catch (error) {
    await removeSpool({ dir });
    throw error;
  }
}

export async function removeSpool(spool: Pick<SpooledSource, 'dir'>): Promise<void> {
  await rm(spool.dir, { recursive: true, force: true });
}

/**
 * Removes the spool directories of processes that are no longer running (a crash or SIGKILL mid-import leaves
 * them behind: the import itself starts again from the checkpoint). Others' live spools are left alone, so
 * instances sharing the temporary directory do not disturb each other. Returns how many were removed.
 */
export async function sweepStaleSpools(dir = tmpdir()): Promise<number> {
  let removed = 0;
  for (const name of await readdir(dir)) {
    const owner = SPOOL_NAME.exec(name);
    if (!owner || isRunning(Number(owner[1]))) continue;
    await rm(join(dir, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
