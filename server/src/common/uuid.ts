const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `text` is a UUID as PostgreSQL writes it: checked before it reaches a `uuid` column from a token or cursor. */
export const isUuid = (text: string | null | undefined): text is string => UUID.test(text ?? '');
