import { drizzle } from "drizzle-orm/d1";
import type { AnyDb } from "./queries.ts";
import { schema } from "./schema.ts";

/**
 * The slice of Cloudflare's D1 binding the D1 store uses, written out here: storage imports no package but
 * drizzle-orm (test/architecture.test.ts), and a Worker's `env.DB` (workers-types `D1Database`) fits it.
 */
export interface D1Statement {
  bind(...values: unknown[]): D1Statement;
  raw<T = unknown[]>(): Promise<T[]>;
  first<T = Record<string, unknown>>(): Promise<T | null>;
  run(): Promise<unknown>;
}

export interface D1Database {
  prepare(query: string): D1Statement;
  batch<T = unknown>(statements: D1Statement[]): Promise<{ results?: T[] }[]>;
}

/** What a drizzle builder (queries.ts) gives for a batch: its SQL text and the values in order. */
type Built = { toSQL(): { sql: string; params: unknown[] } };

/**
 * D1 binds `?` and `?NNN` only: the shared `@name` texts (write-sql.ts) become `?1`, `?2`, … once, with the
 * names in the order of their numbers, so one statement binds the named values of an op.
 */
export function numbered(text: string): { sql: string; names: string[] } {
  const names: string[] = [];
  const sql = text.replace(/@([A-Za-z_]\w*)/g, (_, name: string) => {
    const at = names.indexOf(name);
    if (at >= 0) return `?${at + 1}`;
    names.push(name);
    return `?${names.length}`;
  });
  return { sql, names };
}

/** A value as D1 binds it: bytes as an ArrayBuffer of exactly their own (D1 stores that as a BLOB). */
export function toD1Value(value: unknown): unknown {
  if (value instanceof Uint8Array) return value.slice().buffer;
  return value;
}

/** The store's handles on one D1 database: the binding itself, and drizzle over it for the builder queries. */
export function openD1(d1: D1Database) {
  // drizzle-orm/d1 runs the shared builders (typed for SQLite's synchronous driver, queries.ts): their
  // results are promises here, which `rows` and `row` say once.
  const db = drizzle(d1 as never, { schema }) as unknown as AnyDb;
  const statementOf = (built: Built): D1Statement => {
    const { sql, params } = built.toSQL();
    return d1.prepare(sql).bind(...params.map(toD1Value));
  };
  return { d1, db, statementOf };
}

export type D1Handles = ReturnType<typeof openD1>;

/** A builder query's rows, awaited (queries.ts `AnyDb`: the D1 driver returns a promise). */
export function rows<T>(query: { all(): T[] }): Promise<T[]> {
  return Promise.resolve(query.all() as unknown as Promise<T[]>);
}

/** A builder query's first row, awaited. */
export function row<T>(query: { get(): T }): Promise<T> {
  return Promise.resolve(query.get() as unknown as Promise<T>);
}
