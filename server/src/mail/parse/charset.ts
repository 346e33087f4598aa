import { TextDecoder } from 'node:util';
import { analyse } from 'chardet';

/** Below this the detector is guessing from too little text (it calls a lone "ß" Big5): fall back instead. */
const MIN_CONFIDENCE = 30;

/** What mail with 8-bit text and no usable charset label most often is (Outlook and older Windows mailers). */
export const FALLBACK_CHARSET = 'windows-1252';

export interface DecodedText {
  text: string;
  /** The charset Careloop guessed because the label was missing, unknown or wrong; null when the label held. */
  guessed: string | null;
  /** True when 0x80 bytes standing in for NUL characters were dropped (see withoutNulMarkers). */
  droppedNulMarkers: boolean;
}

const NUL_MARKER = 0x80;

/**
 * Dovecot stores a NUL byte of incoming mail as 0x80. In UTF-8 a lone 0x80 is no letter: when dropping
 * those bytes leaves valid UTF-8, that is what the sender wrote (minus the NULs).
 */
function withoutNulMarkers(bytes: Uint8Array): string | null {
  if (!bytes.includes(NUL_MARKER)) return null;
  return strictUtf8(bytes.filter((byte) => byte !== NUL_MARKER));
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** A decoder for a charset label, or null when the label names nothing the runtime can decode. */
function decoderFor(label: string): TextDecoder | null {
  try {
    return new TextDecoder(label.trim().toLowerCase());
  } catch {
    return null;
  }
}

function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Turns text bytes into a string without losing letters: a declared charset is used when the runtime knows
 * it (and, for US-ASCII/UTF-8 labels, only when the bytes really are that); otherwise valid UTF-8 is
 * taken as UTF-8, and anything else goes to a detector, falling back to windows-1252.
 */
export function decodeText(bytes: Uint8Array, declared: string | null): DecodedText {
  const label = declared?.trim().toLowerCase() || null;
  const trustsLabel = label !== null && !/^(us-?ascii|ascii|utf-?8)$/.test(label);
  if (trustsLabel) {
    const decoder = decoderFor(label);
    if (decoder) return { text: decoder.decode(bytes), guessed: null, droppedNulMarkers: false };
  }
  const utf8 = strictUtf8(bytes);
  if (utf8 !== null) return { text: utf8, guessed: null, droppedNulMarkers: false };
  const withoutMarkers = withoutNulMarkers(bytes);
  if (withoutMarkers !== null) return { text: withoutMarkers, guessed: null, droppedNulMarkers: true };
  const [best] = analyse(bytes);
  const detected = best && best.confidence >= MIN_CONFIDENCE && !/^utf-?8$/i.test(best.name) ? decoderFor(best.name) : null;
  const decoder = detected ?? new TextDecoder(FALLBACK_CHARSET);
  return { text: decoder.decode(bytes), guessed: decoder.encoding, droppedNulMarkers: false };
}
