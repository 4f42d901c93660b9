import { existsSync } from "node:fs";
import { api, expectStatus } from "./api.ts";
import type { Cluster } from "./cluster.ts";
import { COMPLETED, RETURNED, type TransferPlan } from "./documents.ts";
import { deliveriesOf, demoLimitMs, type DeliveryView, type ScenarioResult } from "./scenario.ts";

/**
 * What the demo shows at the end, read back through the public API of each gateway: both sides of
 * each case, every document with its delivery, attempts, receipts and timing, and the checks that
 * decide the exit code.
 */

interface DocumentSummary {
  documentId: string;
  type: string;
  direction: "in" | "out";
  from: string;
  to: string;
  state: string;
  receipted: boolean;
  businessReceiptId?: string;
  verification?: { indication: string };
}

export interface DocumentRow {
  documentId: string;
  type: string;
  from: string;
  to: string;
  delivery: string;
  attempts: number;
  receipted: boolean;
  /** Business receipt back from the receiver (not asked of business receipts themselves). */
  acknowledged?: boolean;
  seconds?: number;
  /** Copies the receiver recorded, and how their seals verified there. */
  receiverCopies: number;
  receiverIndication?: string;
}

export interface CaseReport {
  plan: TransferPlan;
  label: string;
  status: Record<string, string>;
  /** From the first case event (registration) to the last, over both sides. */
  seconds: number;
  rows: DocumentRow[];
  returned?: { reasonCode: string; explanation: string };
}

export interface Check {
  ok: boolean;
  text: string;
}

const NAMES: Record<string, string> = { "440000": "广东", "330000": "浙江", "510000": "四川" };
const name = (id: string) => NAMES[id] ?? id;

export async function collectCase(cluster: Cluster, plan: TransferPlan, label: string): Promise<CaseReport> {
  const sides = [plan.transferIn, plan.transferOut];
  const views = await Promise.all(
    sides.map(async (id) => {
      const gw = cluster.gateways[id]!;
      return expectStatus(
        await api(gw.url, gw.tokens[id]).get(`/v1/cases/${encodeURIComponent(plan.caseId)}`),
        200,
        `case at ${id}`,
      ) as { status: string; documents: DocumentSummary[]; timeline: { at: string }[] };
    }),
  );
  const deliveries = new Map<string, DeliveryView[]>(
    await Promise.all(sides.map(async (id) => [id, await deliveriesOf(cluster, id)] as const)),
  );
  const rows: DocumentRow[] = [];
  views.forEach((view, i) => {
    const owner = sides[i]!;
    const other = views[1 - i]!;
    for (const d of view.documents.filter((x) => x.direction === "out")) {
      const delivery = deliveries.get(owner)!.find((x) => x.documentId === d.documentId);
      const copies = other.documents.filter(
        (x) => x.direction === "in" && x.documentId === d.documentId && x.from === owner,
      );
      rows.push({
        documentId: d.documentId,
        type: d.type,
        from: d.from,
        to: d.to,
        delivery: delivery?.state ?? d.state,
        attempts: delivery?.attempts ?? 0,
        receipted: d.receipted,
        ...(d.type === "business-receipt" ? {} : { acknowledged: d.businessReceiptId !== undefined }),
        ...(delivery?.state === "delivered"
          ? { seconds: (Date.parse(delivery.updatedAt) - Date.parse(delivery.createdAt)) / 1000 }
          : {}),
        receiverCopies: copies.length,
        ...(copies[0]?.verification ? { receiverIndication: copies[0].verification.indication } : {}),
      });
    }
  });
  rows.sort((x, y) => Number(x.type === "business-receipt") - Number(y.type === "business-receipt"));
  const times = views.flatMap((v) => v.timeline.map((e) => Date.parse(e.at)));
  const seconds = (Math.max(...times) - Math.min(...times)) / 1000;
  const report: CaseReport = {
    plan,
    label,
    status: Object.fromEntries(sides.map((id, i) => [id, views[i]!.status])),
    seconds,
    rows,
  };
  const returnRow = rows.find((r) => r.type === "return");
  if (returnRow) {
    const gw = cluster.gateways[returnRow.to]!;
    const inbox = expectStatus(await api(gw.url, gw.tokens[returnRow.to]).get("/v1/inbox?limit=200"), 200, "inbox");
    const entry = (
      inbox.entries as {
        documentId: string;
        sealed: { document: { body: { reasonCode: string; explanation: string } } };
      }[]
    ).find((e) => e.documentId === returnRow.documentId);
    if (entry)
      report.returned = {
        reasonCode: entry.sealed.document.body.reasonCode,
        explanation: entry.sealed.document.body.explanation,
      };
  }
  return report;
}

export function checksFor(
  cluster: Cluster,
  cases: CaseReport[],
  scenario: ScenarioResult,
  pids: number[],
  elapsedMs: number,
): Check[] {
  const [a, b] = cases as [CaseReport, CaseReport];
  const rows = cases.flatMap((c) => c.rows);
  const outage = rows.filter((r) => scenario.outage.documentIds.includes(r.documentId));
  const downFor = (scenario.outage.restartedAtMs - scenario.outage.stoppedAtMs) / 1000;
  const limitMs = demoLimitMs(scenario.outage.requestedMs);
  const breakers = breakerHistory(cluster, scenario);
  const loaded = Object.values(cluster.gateways).every((g) =>
    g.logs().some((e) => e.event === "directory.loaded" && e.sequence === 1),
  );
  return [
    {
      ok: new Set(pids).size === pids.length && Object.values(cluster.files).every((f) => existsSync(f.databasePath)),
      text: `${pids.length} gateway processes (广东 twice), each with its own database, keys and tokens`,
    },
    { ok: loaded, text: "every gateway loaded the sealed directory (sequence 1) and verified the operator's seal" },
    {
      ok: a.status[COMPLETED.transferIn] === "completed" && a.status[COMPLETED.transferOut] === "completed",
      text: "(a) 广东 → 浙江 is completed on both sides",
    },
    {
      ok:
        b.status[RETURNED.transferIn] === "returned" &&
        b.status[RETURNED.transferOut] === "returned" &&
        b.returned?.reasonCode === "ARREARS",
      text: "(b) 四川 → 广东 is returned on both sides, with its reason code and explanation",
    },
    {
      ok: rows.length > 0 && rows.every((r) => r.delivery === "delivered" && r.receipted),
      text: `all ${rows.length} documents delivered, each with a transport receipt verified against the directory`,
    },
    {
      ok: rows.filter((r) => r.acknowledged !== undefined).every((r) => r.acknowledged),
      text: "every case document was answered with a business receipt",
    },
    {
      ok: rows.every((r) => r.receiverCopies === 1 && r.receiverIndication === "TOTAL_PASSED"),
      text: "each document was recorded exactly once by its receiver, its seal TOTAL_PASSED",
    },
    {
      ok:
        outage.length === scenario.outage.documentIds.length &&
        outage.every((r) => r.attempts > 1 && r.delivery === "delivered"),
      text: `广东 was down ${downFor.toFixed(1)} s: ${outage.map((r) => `${r.type} after ${r.attempts} attempts`).join(", ")} — retried, then delivered`,
    },
    {
      ok: breakers.every((b) => b.opened > 0 && b.closed),
      text: `the senders' circuit breakers for 广东 opened during the outage (${breakers.map((b) => `${name(b.agencyId)} ${b.opened}×`).join(", ")}) and closed after a successful probe`,
    },
    {
      ok: elapsedMs < limitMs,
      text: `finished in ${(elapsedMs / 1000).toFixed(1)} s (limit ${limitMs / 1000} s${limitMs > 60_000 ? ": 60 s and the longer outage" : ""})`,
    },
  ];
}

/** How often each sender's breaker for the stopped agency opened, and whether it closed again. */
export function breakerHistory(
  cluster: Cluster,
  scenario: ScenarioResult,
): { agencyId: string; opened: number; closed: boolean }[] {
  const peer = scenario.outage.agencyId;
  return Object.keys(cluster.gateways)
    .filter((id) => id !== peer)
    .map((agencyId) => {
      const logs = cluster.gateways[agencyId]!.logs().filter((e) => e.peer === peer);
      const opened = logs.filter((e) => e.event === "peer.breaker-open").length;
      return { agencyId, opened, closed: logs.at(-1)?.event === "peer.breaker-closed" };
    });
}

export function renderCase(c: CaseReport): string[] {
  const lines = [`${c.label}   case ${c.plan.caseId}, ${c.seconds.toFixed(1)} s from registration to the last step`];
  for (const [id, role] of [
    [c.plan.transferIn, "转入地 transfer-in "],
    [c.plan.transferOut, "转出地 transfer-out"],
  ] as const) {
    lines.push(`  ${name(id)} ${id}  ${role}  final state: ${c.status[id]}`);
  }
  if (c.returned) lines.push(`  return reason: ${c.returned.reasonCode} — ${c.returned.explanation}`);
  const header = ["document", "type", "route", "delivery", "tries", "receipt", "ack", "queued→delivered"];
  const table = c.rows.map((r) => [
    r.documentId.length > 24 ? `${r.documentId.slice(0, 23)}…` : r.documentId,
    r.type,
    `${name(r.from)}→${name(r.to)}`,
    r.delivery,
    String(r.attempts),
    r.receipted ? "✓" : "✗",
    r.acknowledged === undefined ? "-" : r.acknowledged ? "✓" : "✗",
    r.seconds === undefined ? "-" : `${r.seconds.toFixed(2)} s`,
  ]);
  const widths = header.map((h, i) => Math.max(width(h), ...table.map((row) => width(row[i]!))));
  for (const row of [header, ...table])
    lines.push(
      `    ${row
        .map((cell, i) => pad(cell, widths[i]!))
        .join("  ")
        .trimEnd()}`,
    );
  return lines;
}

/** Display width: CJK characters take two columns in a terminal. */
function width(text: string): number {
  let w = 0;
  for (const ch of text)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch)
      ? 2
      : 1;
  return w;
}

function pad(text: string, to: number): string {
  return text + " ".repeat(Math.max(0, to - width(text)));
}
