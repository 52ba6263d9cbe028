/**
 * An error a client may see: an HTTP status, a stable code the UI/CLI translate, and facts.
 * Anything else thrown is logged and answered with a bare 500.
 */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`);
export const forbidden = (why = 'not allowed for your role or department') => new AppError(403, 'forbidden', why);
export const conflict = (why: string, details?: Record<string, unknown>) => new AppError(409, 'conflict', why, details);
export const badRequest = (code: string, why: string, details?: Record<string, unknown>) => new AppError(400, code, why, details);
