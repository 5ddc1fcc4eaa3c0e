import { BpfkitError, type ErrorCode, type ErrorLocation } from '../internal/errors.js';

/** A link error: names the file(s), the symbol and what the user can do. */
export function linkError(code: ErrorCode, detail: string, where: ErrorLocation = {}): BpfkitError {
  return new BpfkitError(code, detail, where);
}
