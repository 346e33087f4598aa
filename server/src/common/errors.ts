/**
 * Domain errors carry a stable code and an HTTP status; services throw them and the global filter
 * turns them into ApiErrorDto responses, so no service imports HTTP types.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly fields?: { field: string; message: string }[],
    /** Extra fields of the error response, e.g. the newer messages of a reply conflict. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super('not_found', `${what} not found`, 404);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super('conflict', message, 409);
  }
}

/** A request that is well-formed but names something invalid (e.g. an unknown assignee). */
export class InvalidFieldError extends DomainError {
  constructor(field: string, message: string) {
    super('invalid_field', `${field}: ${message}`, 400, [{ field, message }]);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'You do not have permission to do this') {
    super('forbidden', message, 403);
  }
}
