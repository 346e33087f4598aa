export { parseEmail, DEFAULT_MAX_EMAIL_BYTES, type ParseEmailOptions } from './parse-email';
export { sanitizeEmailHtml, inlineAttachmentSrc, REMOTE_IMAGE_ATTRIBUTE, REMOTE_IMAGE_PLACEHOLDER, type EmailImageOptions } from './sanitize-email-html';
export { splitQuotedText, type SplitText } from './quoted-text';
export { extractTicketToken, formatSubjectWithToken, plusAddressMarker, parsePlusAddressMarker } from './thread-markers';
export type { BounceReport, EmailAddress, EmailAttachment, HeaderOfInterest, ParsedEmail } from './parsed-email';
export { emailFrameCsp, emailFrameDocument, INLINE_SAFE_IMAGE_TYPES } from './email-frame';
