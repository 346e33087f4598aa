import type { ImapFlow } from 'imapflow';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
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

/** A message source in a file of its own directory (which also takes its decoded attachment bodies). */
export interface SpooledSource {
  dir: string;
  path: string;
  size: number;
}

/** Streams the source of message `uid` of the selected folder into a new spool directory (BODY.PEEK: \Seen stays as it is). */
export async function spoolSource(imap: ImapFlow, uid: string): Promise<SpooledSource | null> {
  const dir = await mkdtemp(join(tmpdir(), 'careloop-mail-'));
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
