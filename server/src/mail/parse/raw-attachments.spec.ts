import MailComposer from 'nodemailer/lib/mail-composer';
import { joinRawSource, splitRawSource } from './raw-attachments';

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
