import { StoreError } from "../usecases/store-error.ts";

/** SQLite result codes that mean "the store cannot take writes now", not "this batch is wrong". */
const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|CORRUPT|NOTADB)/;

/** Messages of an error and its causes (drizzle may wrap the driver's error in DrizzleQueryError). */
function chain(err: unknown): { message: string; code?: string }[] {
  const out: { message: string; code?: string }[] = [];
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    out.push({ message: e.message, code: (e as { code?: unknown }).code as string | undefined });
  }
  return out;
}

/**
 * Maps a failed batch to its coded StoreError. The guards are constraints (see writes.ts): a second
 * `cases` row, a NULL version, a second (agency, case, version) event or an event without its case
 * (a foreign key) is a lost race; a second row for the same document key is a duplicate. Anything else is
 * a bug and is returned unchanged so it surfaces as such.
 */
export function toStoreError(err: unknown): unknown {
  if (err instanceof StoreError) return err;
  for (const { message, code } of chain(err)) {
    if (/constraint failed: (cases|case_events)\./.test(message) || /FOREIGN KEY constraint failed/.test(message)) {
      return new StoreError("VERSION_CONFLICT", "the case changed since it was read", { cause: err });
    }
    if (/NOT NULL constraint failed: documents\.state/.test(message)) {
      return new StoreError("VERSION_CONFLICT", "the document was acknowledged since it was read", { cause: err });
    }
    if (/NOT NULL constraint failed: deliveries\.state/.test(message)) {
      return new StoreError("VERSION_CONFLICT", "the delivery was taken by another attempt", { cause: err });
    }
    if (/UNIQUE constraint failed: documents\./.test(message)) {
      return new StoreError("DUPLICATE_DOCUMENT", "a document with this key is already stored", { cause: err });
    }
    if ((code && UNAVAILABLE.test(code)) || /database connection is not open/.test(message)) {
      return new StoreError("STORE_UNAVAILABLE", `store unavailable: ${message}`, { cause: err });
    }
  }
  return err;
}

export function unavailable(message: string, cause?: unknown): StoreError {
  return new StoreError("STORE_UNAVAILABLE", message, cause === undefined ? undefined : { cause });
}
