import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import { joinRawSource, splitRawFile, splitRawSource } from './raw-attachments';

const logo = Buffer.from(Array.from({ length: 30_000 }, (_, i) => (i * 31) % 256));
const pdf = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7 + 3) % 256));

function compose(): Promise<Buffer> {
  return new MailComposer({
    from: 'maya@example.com',
    to: 'support@example.com',
    subject: 'Invoice and logo',
    text: 'See attached.',
    html: '<p>See attached.</p><img src="cid:logo@example">',
    attachments: [
      { filename: 'invoice.pdf', content: pdf },
      { filename: 'logo.png', content: logo, cid: 'logo@example' },
    ],
  })
    .compile()
    .build();
}

describe('splitRawSource', () => {
  it('stores attachment bodies once, as blobs, and gives the exact source back', async () => {
    const raw = await compose();
    const split = await splitRawSource(raw);
    expect(split.cuts).toHaveLength(2);
    expect([...split.blobs.values()].sort((a, b) => a.length - b.length)).toEqual([logo, pdf]);
    // What remains is the headers and text: the attachments' 80 KB (110 KB in base64) are gone from it.
    expect(split.stored.length).toBeLessThan(raw.length - 100_000);
    expect(joinRawSource(split.stored, split.cuts, split.blobs)?.equals(raw)).toBe(true);
  });

  it('keeps a body whose encoding it could not write back byte for byte', async () => {
    const raw = await compose();
    // Lines of uneven length, as some mailers write them: no encoder would give these bytes back.
    const text = raw.toString('latin1');
    const start = text.indexOf('\r\n\r\n', text.indexOf('filename=invoice.pdf')) + 4;
    const uneven = `${text.slice(0, start + 10)}\r\n${text.slice(start + 10)}`;
    const split = await splitRawSource(Buffer.from(uneven, 'latin1'));
    expect(split.cuts).toHaveLength(1);
    expect(joinRawSource(split.stored, split.cuts, split.blobs)?.toString('latin1')).toBe(uneven);
  });

  it('leaves a message without attachments as it is', async () => {
    const raw = Buffer.from('From: a@example.com\r\nSubject: hi\r\n\r\nHello\r\n');
    const split = await splitRawSource(raw);
    expect(split.cuts).toEqual([]);
    expect(split.stored).toBe(raw);
  });
});

describe('splitRawFile', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'careloop-split-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** The same split as splitRawSource's, with the decoded bodies in files. */
  async function splitFile(raw: Buffer) {
    const path = join(dir, 'source.eml');
    writeFileSync(path, raw);
    const split = await splitRawFile(path, dir);
    const blobs = new Map([...split.blobs].map(([hash, blob]) => [hash, readFileSync(blob.path)]));
    expect([...split.blobs.values()].map((blob) => blob.size)).toEqual([...blobs.values()].map((content) => content.length));
    return { ...split, contents: blobs };
  }

  it('cuts the same bodies as splitRawSource and gives the exact source back', async () => {
    const raw = await compose();
    const [inMemory, fromFile] = [await splitRawSource(raw), await splitFile(raw)];
    expect(fromFile.stored.equals(inMemory.stored)).toBe(true);
    expect(fromFile.cuts).toEqual(inMemory.cuts);
    expect(fromFile.contents).toEqual(inMemory.blobs);
    expect(joinRawSource(fromFile.stored, fromFile.cuts, fromFile.contents)?.equals(raw)).toBe(true);
  });

  it('agrees with splitRawSource on uneven lines, LF line breaks and non-canonical padding, and gives each source back', async () => {
    const text = (await compose()).toString('latin1');
    const start = text.indexOf('\r\n\r\n', text.indexOf('filename=invoice.pdf')) + 4;
    const variants = [
      `${text.slice(0, start + 10)}\r\n${text.slice(start + 10)}`,
      text.replace(/\r\n/g, '\n'),
      // The logo is 30,000 bytes: its base64 ends in one "=" after a character whose low bits must be zero.
      text.replace(/([A-Za-z0-9+/])=(\r\n--)/, (_, last: string, rest: string) => `${last === 'A' ? 'B' : String.fromCharCode(last.charCodeAt(0) ^ 1)}=${rest}`),
    ];
    for (const variant of variants) {
      const raw = Buffer.from(variant, 'latin1');
      const [inMemory, fromFile] = [await splitRawSource(raw), await splitFile(raw)];
      expect(fromFile.cuts.map((cut) => cut.sha256)).toEqual(inMemory.cuts.map((cut) => cut.sha256));
      expect(joinRawSource(fromFile.stored, fromFile.cuts, fromFile.contents)?.equals(raw)).toBe(true);
    }
  });
});
