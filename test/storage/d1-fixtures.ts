import { env } from "cloudflare:test";

/** Children before parents (foreign keys): every table a store writes. */
const TABLES = [
  "case_events",
  "documents",
  "report_templates",
  "cases",
  "deliveries",
  "audit_events",
  "tokens",
  "reminders",
  "archive_leaves",
  "archive_nodes",
  "checkpoints",
  "peer_checkpoints",
];

/** Empties the migrated D1 database of the Workers tests, so each test starts from no rows. */
export async function emptyD1(): Promise<void> {
  await env.DB.batch(TABLES.map((table) => env.DB.prepare(`DELETE FROM ${table}`)));
}
