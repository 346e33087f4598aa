import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { buildEmail, STANDARD_HEADERS } from './__fixtures__/build-email';
import { parseEmail } from './parse-email';
import { REMOTE_IMAGE_ATTRIBUTE } from './sanitize-email-html';

describe('parseEmail', () => {
  describe('addressing and threading headers', () => {
    it('reads ids without brackets, references in order, addresses and the date', async () => {
      const parsed = await parseEmail(
        buildEmail(`From: "Jane Customer" <jane@example.org>
Reply-To: "Jane at Billing" <billing@example.org>
To: Support <support@shop.example>, sales@shop.example
Cc: Team: bob@example.org, carol@example.org;
Subject: Re: Where is my order?
Date: Mon, 03 Nov 2025 10:02:00 +0100 (CET)
Message-ID: <reply-2@mail.example.org>
In-Reply-To: <first-1@shop.example>
References: <root-0@mail.example.org>
 <first-1@shop.example>
Content-Type: text/plain; charset=utf-8

Any news?
`),
      );
      expect(parsed).toMatchObject({
        messageId: 'reply-2@mail.example.org',
        inReplyTo: 'first-1@shop.example',
        references: ['root-0@mail.example.org', 'first-1@shop.example'],
        subject: 'Re: Where is my order?',
        from: { address: 'jane@example.org', name: 'Jane Customer' },
        replyTo: { address: 'billing@example.org', name: 'Jane at Billing' },
        to: [
          { address: 'support@shop.example', name: 'Support' },
          { address: 'sales@shop.example', name: '' },
        ],
        cc: [
          { address: 'bob@example.org', name: '' },
          { address: 'carol@example.org', name: '' },
        ],
        text: 'Any news?\n',
        html: null,
        flags: [],
      });
      expect(parsed.date?.toISOString()).toBe('2025-11-03T09:02:00.000Z');
    });

    it('gives null for a missing Message-ID and an invalid date instead of inventing them', async () => {
      const parsed = await parseEmail(buildEmail('From: jane@example.org\nSubject: hi\nDate: yesterday-ish\n\nhello\n'));
      expect(parsed.messageId).toBeNull();
      expect(parsed.date).toBeNull();
      expect(parsed.inReplyTo).toBeNull();
      expect(parsed.references).toEqual([]);
    });
  });

  describe('charsets and transfer encodings', () => {
    it('decodes an ISO-8859-1 body sent as 8bit', async () => {
      const parsed = await parseEmail(
        buildEmail(STANDARD_HEADERS, 'Subject: Gruss\nContent-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: 8bit\n\n', Buffer.from('Grüße aus Köln\r\n', 'latin1')),
      );
      expect(parsed.text).toBe('Grüße aus Köln\n');
    });

    it('decodes Windows-1252 punctuation (euro sign, curly quotes, dashes)', async () => {
      const parsed = await parseEmail(
        buildEmail(
          STANDARD_HEADERS,
          'Subject: price\nContent-Type: text/plain; charset=windows-1252\nContent-Transfer-Encoding: 8bit\n\n',
          Buffer.from([0x80, 0x20, 0x31, 0x30, 0x20, 0x97, 0x20, 0x93, 0x63, 0x61, 0x66, 0xe9, 0x94, 0x0d, 0x0a]),
        ),
      );
      expect(parsed.text).toBe('€ 10 — “café”\n');
    });

    it('decodes ISO-2022-JP in the subject and the body', async () => {
      const parsed = await parseEmail(
        buildEmail(
          STANDARD_HEADERS,
          'Subject: =?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=\nContent-Type: text/plain; charset=ISO-2022-JP\nContent-Transfer-Encoding: 7bit\n\n',
          Buffer.from('\x1b$B$3$s$K$A$O\x1b(B\r\n', 'latin1'),
        ),
      );
      expect(parsed.subject).toBe('こんにちは');
      expect(parsed.text.trim()).toBe('こんにちは');
    });

    it('decodes a base64 Shift_JIS body', async () => {
      const body = Buffer.from([0x93, 0xfa, 0x96, 0x7b, 0x8c, 0xea]).toString('base64');
      const parsed = await parseEmail(
        buildEmail(STANDARD_HEADERS, `Subject: sjis\nContent-Type: text/plain; charset=Shift_JIS\nContent-Transfer-Encoding: base64\n\n${body}\n`),
      );
      expect(parsed.text.trim()).toBe('日本語');
    });

    it('decodes UTF-8 encoded words (B and Q) in subject and display names', async () => {
      const parsed = await parseEmail(
        buildEmail(`From: =?UTF-8?Q?Ren=C3=A9e_M=C3=BCller?= <renee@example.org>
To: support@shop.example
Subject: =?UTF-8?B?UsO8Y2tlcnN0YXR0dW5n?= =?UTF-8?Q?_f=C3=BCr_Bestellung_=E2=84=96_42?=
Content-Type: text/plain; charset=utf-8

Bitte.
`),
      );
      expect(parsed.subject).toBe('Rückerstattung für Bestellung № 42');
      expect(parsed.from).toEqual({ address: 'renee@example.org', name: 'Renée Müller' });
    });

    it('decodes quoted-printable with soft line breaks', async () => {
      const parsed = await parseEmail(
        buildEmail(
          STANDARD_HEADERS,
          'Subject: qp\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nThe caf=C3=A9 charged me 12 =E2=82=AC twice, this line is long enough to be wr=\napped by the sender.\n',
        ),
      );
      expect(parsed.text).toBe('The café charged me 12 € twice, this line is long enough to be wrapped by the sender.\n');
    });
  });

  describe('bodies and attachments', () => {
    it('keeps both parts of multipart/alternative, the HTML sanitised', async () => {
      const parsed = await parseEmail(
        buildEmail(STANDARD_HEADERS, `Subject: alt
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset=utf-8

Hello *there*
--alt
Content-Type: text/html; charset=utf-8

<html><head><title>Mail</title><script>alert(1)</script></head><body><p>Hello <b>there</b></p></body></html>
--alt--
`),
      );
      expect(parsed.text).toBe('Hello *there*');
      expect(parsed.html).toBe('<p>Hello <b>there</b></p>');
    });

    it('derives plain text from HTML when the message has no text part', async () => {
      const parsed = await parseEmail(
        buildEmail(STANDARD_HEADERS, 'Subject: html only\nContent-Type: text/html; charset=utf-8\n\n<p>Order <b>#77</b> arrived broken.</p><p>Please help.</p>\n'),
      );
      expect(parsed.text).toContain('Order #77 arrived broken.');
      expect(parsed.text).toContain('Please help.');
      expect(parsed.visibleText).toContain('Please help.');
    });

    it('returns attachments with name, type, size and content; cid images are inline and kept as cid:', async () => {
      const pdf = Buffer.from('%PDF-1.4 fake invoice');
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
      const parsed = await parseEmail(
        buildEmail(STANDARD_HEADERS, `Subject: invoice
Content-Type: multipart/mixed; boundary="mixed"

--mixed
Content-Type: multipart/related; boundary="rel"

--rel
Content-Type: text/html; charset=utf-8

<p>See the photo: <img src="cid:photo1@example.org" alt="damage"></p>
--rel
Content-Type: image/png
Content-ID: <photo1@example.org>
Content-Disposition: inline; filename="photo.png"
Content-Transfer-Encoding: base64

${png.toString('base64')}
--rel--
--mixed
Content-Type: application/pdf; name="invoice 42.pdf"
Content-Disposition: attachment; filename="invoice 42.pdf"
Content-Transfer-Encoding: base64

${pdf.toString('base64')}
--mixed--
`),
      );
      expect(parsed.html).toContain('src="cid:photo1@example.org"');
      expect(parsed.attachments).toEqual([
        { filename: 'photo.png', contentType: 'image/png', size: png.length, contentId: 'photo1@example.org', inline: true, content: png },
        { filename: 'invoice 42.pdf', contentType: 'application/pdf', size: pdf.length, contentId: null, inline: false, content: pdf },
      ]);
    });

    it('offers an attached message (message/rfc822) as a .eml file named after its subject', async () => {
      const forwarded = 'From: shop@shop.example\r\nSubject: Your order #77 / shipped\r\nMessage-ID: <order77@shop.example>\r\n\r\nIt shipped.\r\n';
      const parsed = await parseEmail(
        buildEmail(STANDARD_HEADERS, `Subject: Fwd: order
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain

This is what I got.
--b
Content-Type: message/rfc822

${forwarded}
--b--
`),
      );
      expect(parsed.text.trim()).toBe('This is what I got.');
      expect(parsed.attachments).toHaveLength(1);
      expect(parsed.attachments[0]).toMatchObject({ filename: 'Your order #77 shipped.eml', contentType: 'message/rfc822', inline: false });
      expect(parsed.attachments[0].content.toString()).toContain('Message-ID: <order77@shop.example>');
    });
  });

  describe('quoted replies', () => {
    it('separates a Gmail-style reply from the quoted history', async () => {
      const parsed = await parseEmail(
        buildEmail(STANDARD_HEADERS, `Subject: Re: refund
Content-Type: text/plain; charset=utf-8

Thanks, that worked!

On Mon, 3 Nov 2025 at 09:40, Careloop Support <
support@shop.example> wrote:

> Hi Jane,
> please try again.
`),
      );
      expect(parsed.visibleText).toBe('Thanks, that worked!');
      expect(parsed.quotedText).toMatch(/^On Mon, 3 Nov 2025 at 09:40, Careloop Support <\nsupport@shop.example> wrote:\n\n> Hi Jane,/);
      expect(parsed.text).toContain('> please try again.');
    });

    it('separates an Outlook-style reply and its signature from the quoted header block', async () => {
      const parsed = await parseEmail(
        buildEmail(STANDARD_HEADERS, `Subject: RE: refund
Content-Type: text/plain; charset=utf-8

The parcel still has not arrived.

Kind regards
--
Jane Customer
ACME Ltd.

________________________________
From: Careloop Support <support@shop.example>
Sent: Monday, November 3, 2025 9:40 AM
To: Jane Customer <jane@example.org>
Subject: refund

Hi Jane, the parcel is on its way.
`),
      );
      expect(parsed.visibleText).toBe('The parcel still has not arrived.\n\nKind regards');
      expect(parsed.quotedText).toMatch(/^--\nJane Customer\nACME Ltd\.\n\n_+\nFrom: Careloop Support/);
      expect(parsed.quotedText).toContain('the parcel is on its way.');
    });
  });

  describe('noise detection', () => {
    it('flags an out-of-office reply (Auto-Submitted) as auto_reply', async () => {
      const parsed = await parseEmail(
        buildEmail(STANDARD_HEADERS, 'Subject: Out of office\nAuto-Submitted: auto-replied\nContent-Type: text/plain\n\nI am away until Monday.\n'),
      );
      expect(parsed.flags).toEqual(['auto_reply']);
      expect(parsed.headers['auto-submitted']).toBe('auto-replied');
    });

    it('does not flag mail marked Auto-Submitted: no', async () => {
      const parsed = await parseEmail(buildEmail(STANDARD_HEADERS, 'Subject: question\nAuto-Submitted: no\n\nA real question.\n'));
      expect(parsed.flags).toEqual([]);
    });

    it.each([
      ['X-Autoreply: yes', 'auto_reply'],
      ['X-Autorespond: vacation', 'auto_reply'],
      ['X-Auto-Response-Suppress: OOF', 'auto_reply'],
      ['X-Auto-Response-Suppress: All', 'auto_reply'],
      ['Precedence: auto_reply', 'auto_reply'],
      ['X-MS-Exchange-Generated-Message-Source: Mailbox Rules Agent', 'auto_reply'],
      ['Precedence: bulk', 'bulk'],
      ['Precedence: junk', 'bulk'],
      ['Precedence: list', 'bulk'],
      ['List-Id: Product news <news.shop.example>', 'bulk'],
      ['List-Unsubscribe: <mailto:unsubscribe@news.example>', 'bulk'],
    ])('flags "%s" as %s', async (header, flag) => {
      const parsed = await parseEmail(buildEmail(STANDARD_HEADERS, `Subject: hello\n${header}\n\nbody\n`));
      expect(parsed.flags).toEqual([flag]);
    });

    it('flags an Outlook "Automatic reply:" subject even without headers', async () => {
      const parsed = await parseEmail(buildEmail(STANDARD_HEADERS, 'Subject: Automatic reply: Your ticket\n\nI am out.\n'));
      expect(parsed.flags).toEqual(['auto_reply']);
    });

    it('reads a DSN bounce: flags it and extracts the original Message-ID, recipient, status and diagnostic', async () => {
      const parsed = await parseEmail(
        buildEmail(`From: Mail Delivery System <MAILER-DAEMON@mx.example.org>
To: support@shop.example
Subject: Undelivered Mail Returned to Sender
Date: Mon, 03 Nov 2025 10:05:00 +0000
Message-ID: <bounce-1@mx.example.org>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="rep"

--rep
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not be delivered.
--rep
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org
Arrival-Date: Mon,  3 Nov 2025 10:04:59 +0000

Final-Recipient: rfc822; gone@example.org
Original-Recipient: rfc822;gone@example.org
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <gone@example.org>: Recipient address
    rejected: User unknown
--rep
Content-Type: text/rfc822-headers

From: Support <support@shop.example>
To: gone@example.org
Subject: Re: your order [#1234]
Message-ID: <reply-77.careloop@shop.example>
--rep--
`),
      );
      expect(parsed.flags).toEqual(expect.arrayContaining(['bounce', 'auto_reply']));
      expect(parsed.bounce).toEqual({
        originalMessageId: 'reply-77.careloop@shop.example',
        recipient: 'gone@example.org',
        status: '5.1.1',
        diagnostic: '550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown',
      });
      expect(parsed.messageId).toBe('bounce-1@mx.example.org');
    });

    it('reads a plain-text bounce from postmaster that quotes the original inline', async () => {
      const parsed = await parseEmail(
        buildEmail(`From: postmaster@legacy.example
To: support@shop.example
Subject: failure notice

Sorry, I wasn't able to deliver your message to the following addresses.
<old@legacy.example>: mailbox unavailable

--- Below this line is a copy of the message.

Message-ID: <reply-9.careloop@shop.example>
Subject: Re: hello
`),
      );
      expect(parsed.flags).toEqual(['bounce']);
      expect(parsed.bounce?.originalMessageId).toBe('reply-9.careloop@shop.example');
    });
  });

  describe('bad input', () => {
    it('flags binary junk as parse_error instead of throwing', async () => {
      const junk = Buffer.concat([Buffer.from([0x00, 0xff, 0xfe, 0x0a]), Buffer.from('PK\x03\x04 zip:data\n\x01\x02', 'latin1')]);
      const parsed = await parseEmail(junk);
      expect(parsed.flags).toEqual(['no_headers']);
      expect(parsed.notes.join(' ')).toMatch(/no header block/);
      expect(parsed.attachments).toEqual([]);
    });

    it('never throws, whatever the bytes', async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (bytes) => {
          const parsed = await parseEmail(Buffer.from(bytes));
          expect(Array.isArray(parsed.flags)).toBe(true);
        }),
        { numRuns: 200 },
      );
    });

    it('never throws on mangled real messages (truncated at any byte)', async () => {
      const message = buildEmail(STANDARD_HEADERS, 'Subject: x\nContent-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\nSGVsbG8gd29ybGQ=\n--b--\n');
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: message.length }), async (length) => {
          const parsed = await parseEmail(message.subarray(0, length));
          expect(parsed.flags.every((flag) => ['parse_error', 'no_headers', 'text_recovered'].includes(flag))).toBe(true);
        }),
        { numRuns: 100 },
      );
    });

    it('flags a multipart message without a boundary, keeping subject, sender and the body text', async () => {
      const parsed = await parseEmail(
        buildEmail(`From: =?UTF-8?Q?J=C3=BCrgen?= <juergen@example.org>
Subject: =?UTF-8?Q?Rechnung_f=C3=BCr_M=C3=A4rz?=
Message-ID: <broken-1@example.org>
Content-Type: multipart/mixed

--zz
Content-Type: text/plain

My invoice is wrong.
--zz--
`),
      );
      expect(parsed.flags).toEqual(['parse_error']);
      expect(parsed.notes.join(' ')).toMatch(/without a boundary/);
      expect(parsed.subject).toBe('Rechnung für März');
      expect(parsed.from).toEqual({ address: 'juergen@example.org', name: 'Jürgen' });
      expect(parsed.messageId).toBe('broken-1@example.org');
      expect(parsed.text).toContain('My invoice is wrong.');
    });

    it('flags a multipart message whose boundary never appears', async () => {
      const parsed = await parseEmail(
        buildEmail('From: a@example.org\nSubject: x\nContent-Type: multipart/mixed; boundary="expected"\n\n--other\nContent-Type: text/plain\n\nhello\n--other--\n'),
      );
      expect(parsed.flags).toEqual(['parse_error']);
      expect(parsed.notes.join(' ')).toMatch(/boundary never appears/);
    });

    it('keeps the headers and the text of a message over maxBytes, and lists its attachments with their sizes', async () => {
      const attachment = randomBytes(3000).toString('base64');
      const parsed = await parseEmail(
        buildEmail(STANDARD_HEADERS, `Subject: big photos
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain

see attached
--b
Content-Type: image/jpeg
Content-Disposition: attachment; filename="a.jpg"
Content-Transfer-Encoding: base64

${attachment}
--b--
`),
        { maxBytes: 2000 },
      );
      expect(parsed.flags).toEqual(['oversized']);
      expect(parsed.subject).toBe('big photos');
      expect(parsed.from?.address).toBe('jane@example.org');
      expect(parsed.messageId).toBe('CAJ1234.abcd@mail.example.org');
      expect(parsed.text.trim()).toBe('see attached');
      expect(parsed.attachments).toEqual([]);
      expect(parsed.notes.join(' ')).toMatch(/over the 2 KB limit.*Kept its text.*Attachments not imported: a\.jpg \(3 KB\)/);
    });

    it('recovers the text of a message nested too deeply for the parser, and says so', async () => {
      let body = 'Content-Type: text/plain; charset=utf-8\n\nThe text at the bottom.\n';
      for (let level = 1100; level > 0; level--) body = `Content-Type: multipart/mixed; boundary="b${level}"\n\n--b${level}\n${body}--b${level}--\n`;
      const parsed = await parseEmail(buildEmail(STANDARD_HEADERS, `Subject: deep\n${body}`));
      expect(parsed.text.trim()).toBe('The text at the bottom.');
      expect(parsed.flags).toEqual(['text_recovered']);
      expect(parsed.notes.join(' ')).toMatch(/nested 1100 levels deep/);
    });

    it('reads text without a charset label, or with an unknown one, by detection and flags the guess', async () => {
      const latin1 = (text: string) => Buffer.from(text, 'latin1');
      const undeclared = await parseEmail(
        Buffer.concat([latin1('From: a@example.org\nSubject: '), latin1('Grüße aus Köln'), latin1('\nContent-Type: text/plain\nContent-Transfer-Encoding: 8bit\n\n'), latin1('Schöne Grüße, Jürgen\n')]),
      );
      expect(undeclared.subject).toBe('Grüße aus Köln');
      expect(undeclared.text).toContain('Schöne Grüße, Jürgen');
      expect(undeclared.flags).toEqual(['charset_guessed']);
      expect(undeclared.notes.join(' ')).toMatch(/read as (windows-1252|iso-8859-1)/);
      const unknown = await parseEmail(Buffer.concat([latin1('From: a@example.org\nSubject: x\nContent-Type: text/plain; charset=x-made-up\n\n'), latin1('Straße\n')]));
      expect(unknown.text).toContain('Straße');
      expect(unknown.flags).toEqual(['charset_guessed']);
      const utf8 = await parseEmail(buildEmail(STANDARD_HEADERS, 'Subject: fine\nContent-Type: text/plain\n\n', Buffer.from('Grüße\n', 'utf8')));
      expect(utf8.flags).toEqual([]);
    });

    it('shows a message without a header block as text, whole', async () => {
      const parsed = await parseEmail(Buffer.from('Hello, nobody wrote headers here.\nSecond line: still body.\n'));
      expect(parsed.text).toBe('Hello, nobody wrote headers here.\nSecond line: still body.\n');
      expect(parsed.flags).toEqual(['no_headers']);
    });

    it('drops the 0x80 bytes Dovecot stores in place of NUL from UTF-8 text, without calling it a charset guess', async () => {
      const parsed = await parseEmail(buildEmail(STANDARD_HEADERS, 'Subject: x\nContent-Type: text/plain; charset=utf-8\n\n', Buffer.from([0x6c, 0x80, 0x72, 0x0a]), Buffer.from('Grüße\n', 'utf8')));
      expect(parsed.text).toBe('lr\nGrüße\n');
      expect(parsed.flags).toEqual([]);
      expect(parsed.notes).toEqual(['NUL characters were removed from its text; the raw source keeps them.']);
    });

    it('strips NUL, raw or encoded, from everything it returns', async () => {
      const parsed = await parseEmail(
        Buffer.from('From: =?utf-8?Q?Eve=00Null?= <eve@example.org>\nSubject: =?utf-8?Q?sub=00ject?=\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nbody=00text and raw \u0000 too\n'),
      );
      expect(parsed.subject).toBe('subject');
      expect(parsed.from).toEqual({ address: 'eve@example.org', name: 'EveNull' });
      expect(parsed.text).toBe('bodytext and raw  too\n');
      expect(JSON.stringify(parsed)).not.toContain('\\u0000');
      expect(parsed.notes.join(' ')).toMatch(/NUL characters were removed/);
    });
  });

  describe('unsafe HTML', () => {
    it('removes script, handlers, javascript: links and defers remote images', async () => {
      const parsed = await parseEmail(
        buildEmail(STANDARD_HEADERS, `Subject: xss
Content-Type: text/html; charset=utf-8

<div onclick="steal()"><script>document.cookie</script><a href="javascript:alert(1)">click</a>
<img src="https://tracker.example/pixel.gif" onerror="alert(2)"></div>
`),
      );
      expect(parsed.html).not.toMatch(/script|onclick|onerror|javascript:/i);
      expect(parsed.html).toContain(`${REMOTE_IMAGE_ATTRIBUTE}="https://tracker.example/pixel.gif"`);
      expect(parsed.html).not.toMatch(/\ssrc="https:/);
    });
  });
});
