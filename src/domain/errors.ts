/**
 * Base of every coded error in Jiexu. Codes are closed string unions per error family;
 * HTTP statuses and exit codes are mapped from codes at the edges, never here.
 */
export class CodedError<C extends string> extends Error {
  readonly code: C;
  readonly details?: unknown;

  constructor(code: C, message: string, options?: { cause?: unknown; details?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    if (options?.details !== undefined) this.details = options.details;
  }
}
