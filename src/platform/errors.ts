import type { LocalText } from '../web/i18n/index.js';

export interface FieldIssue {
  field: string;
  message: LocalText;
}

/** Base of every error a service throws on purpose; the handler maps it to a 4xx. */
export class DomainError extends Error {
  override name = 'DomainError';
  constructor(
    readonly code: string,
    readonly status: number,
    readonly text: LocalText,
  ) {
    super(code);
  }
}

export class ValidationError extends DomainError {
  override name = 'ValidationError';
  constructor(readonly issues: FieldIssue[]) {
    super('validation_failed', 400, (t) => t.common.errValidationTitle);
  }
}

export class NotFoundError extends DomainError {
  override name = 'NotFoundError';
  constructor(text: LocalText = (t) => t.common.errNotFound) {
    super('not_found', 404, text);
  }
}

export class ForbiddenError extends DomainError {
  override name = 'ForbiddenError';
  constructor(text: LocalText = (t) => t.common.errForbidden) {
    super('forbidden', 403, text);
  }
}

export class UnauthenticatedError extends DomainError {
  override name = 'UnauthenticatedError';
  constructor(text: LocalText = (t) => t.common.errUnauthenticated) {
    super('unauthenticated', 401, text);
  }
}

export class ConflictError extends DomainError {
  override name = 'ConflictError';
  constructor(text: LocalText = (t) => t.common.errConflict) {
    super('conflict', 409, text);
  }
}

export class RateLimitedError extends DomainError {
  override name = 'RateLimitedError';
  constructor(text: LocalText = (t) => t.common.errRateLimited) {
    super('rate_limited', 429, text);
  }
}

export class BadRequestError extends DomainError {
  override name = 'BadRequestError';
  constructor(text: LocalText = (t) => t.common.errBadRequest, code = 'bad_request') {
    super(code, 400, text);
  }
}
