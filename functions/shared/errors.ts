// The error hierarchy every handler throws. The HTTP error handler maps it to `{ error: { code, message, details? } }`.
// Each class names itself: the deploy bundles are minified without keepNames (serverless.yml custom.esbuild), so a
// name derived from the class (new.target.name) would reach the logs as a mangled one.

export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  /** Client errors say what was wrong; server errors never leak internals. */
  toJSON(): { error: { code: string; message: string; details?: unknown } } {
    if (this.statusCode >= 500) return { error: { code: this.code, message: 'Internal server error' } };
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } };
  }
}

export class BadRequestError extends HttpError {
  override name = 'BadRequestError';
  constructor(message: string, details?: unknown) { super(400, 'BAD_REQUEST', message, details); }
}
export class ValidationError extends HttpError {
  override name = 'ValidationError';
  constructor(details: unknown, message = 'Request validation failed') { super(400, 'VALIDATION_FAILED', message, details); }
}
export class UnauthorizedError extends HttpError {
  override name = 'UnauthorizedError';
  constructor(message = 'Authentication required') { super(401, 'UNAUTHORIZED', message, undefined, { 'www-authenticate': 'Bearer' }); }
}
export class ForbiddenError extends HttpError {
  override name = 'ForbiddenError';
  constructor(message = 'Not allowed') { super(403, 'FORBIDDEN', message); }
}
export class NotFoundError extends HttpError {
  override name = 'NotFoundError';
  constructor(message = 'Not found') { super(404, 'NOT_FOUND', message); }
}
export class MethodNotAllowedError extends HttpError {
  override name = 'MethodNotAllowedError';
  constructor(allowed: string[]) { super(405, 'METHOD_NOT_ALLOWED', 'Method not allowed', { allowed }, { allow: allowed.join(', ') }); }
}
export class ConflictError extends HttpError {
  override name = 'ConflictError';
  constructor(message: string, details?: unknown) { super(409, 'CONFLICT', message, details); }
}
export class PayloadTooLargeError extends HttpError {
  override name = 'PayloadTooLargeError';
  constructor(limitBytes: number) { super(413, 'PAYLOAD_TOO_LARGE', `Request body exceeds ${limitBytes} bytes`); }
}
export class UnsupportedMediaTypeError extends HttpError {
  override name = 'UnsupportedMediaTypeError';
  constructor() { super(415, 'UNSUPPORTED_MEDIA_TYPE', 'Request body must be application/json'); }
}
export class UnprocessableError extends HttpError {
  override name = 'UnprocessableError';
  constructor(message: string, details?: unknown) { super(422, 'UNPROCESSABLE', message, details); }
}
export class TooManyRequestsError extends HttpError {
  override name = 'TooManyRequestsError';
  constructor(retryAfterSeconds: number, message = 'Too many requests') {
    super(429, 'TOO_MANY_REQUESTS', message, undefined, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
  }
}
export class ServiceUnavailableError extends HttpError {
  override name = 'ServiceUnavailableError';
  constructor(message = 'Service unavailable') { super(503, 'SERVICE_UNAVAILABLE', message); }
}
