/** Builds a raw message with CRLF line ends, as it arrives over IMAP; byte parts are kept byte for byte. */
export function buildEmail(...parts: Array<string | Buffer>): Buffer {
  return Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part.replace(/\r?\n/g, '\r\n'), 'latin1') : part)));
}

export const STANDARD_HEADERS = `From: Jane Customer <jane@example.org>
To: Support <support@shop.example>
Date: Mon, 03 Nov 2025 10:02:00 +0100
Message-ID: <CAJ1234.abcd@mail.example.org>
MIME-Version: 1.0
`;
