import { toShanghaiDate } from "../../domain/calendar/index.ts";
import { OPEN_CASE_STATUSES } from "../../domain/transfer-case/index.ts";
import type { GatewayDeps } from "../deps.ts";
import type {
  CaseReads,
  CaseRecord,
  Committer,
  DeliveryRecord,
  ReminderReads,
  ReminderRecord,
  StateChange,
} from "../ports.ts";
import { webhookDelivery } from "./webhooks.ts";

/** Reminders look this many working days ahead (issue 5 item 5). */
export const DUE_SOON_WORKING_DAYS = 3;

/** What the pass touches: open cases and the reminders already sent, the calendar, webhooks of the agencies. */
type ReminderDeps = Pick<GatewayDeps, "agencies" | "calendar" | "clock" | "decider" | "ids" | "logger" | "onQueued"> & {
  store: CaseReads & ReminderReads & Committer;
};

/**
 * The deadline reminder pass (run from the Node timer, and from a cron trigger on Workers): for every
 * open step, one `deadline.overdue` event once it is overdue and one `deadline.due-soon` event when it
 * falls due within 3 working days — each emitted once per due date, as an audit event and, where the
 * agency has one, a webhook.
 */
export async function sendDeadlineReminders(deps: ReminderDeps): Promise<{ overdue: number; dueSoon: number }> {
  const now = deps.clock.now();
  const counts = { overdue: 0, dueSoon: 0 };
  for (const status of OPEN_CASE_STATUSES) {
    let after: string | undefined;
    do {
      const page = await deps.store.listCases({ status, limit: 200, ...(after ? { after } : {}) });
      for (const record of page.cases) {
        const sent = await remindCase(deps, record, now);
        counts.overdue += sent.filter((r) => r.kind === "overdue").length;
        counts.dueSoon += sent.filter((r) => r.kind === "due-soon").length;
      }
      after = page.next;
    } while (after);
  }
  return counts;
}

async function remindCase(deps: ReminderDeps, record: CaseRecord, now: Date): Promise<ReminderRecord[]> {
  const open = deps.decider.openDeadlines(deps.decider.upgrade(record.state), now);
  if (open.length === 0) return [];
  const already = await deps.store.sentReminders(record.agencyId, record.caseId);
  const fresh: ReminderRecord[] = [];
  for (const d of open) {
    const kind = d.overdue ? "overdue" : dueSoon(deps, d.due, d.owedBy, now) ? "due-soon" : undefined;
    if (!kind || already.some((r) => r.step === d.step && r.kind === kind && r.due === d.due)) continue;
    fresh.push({
      agencyId: record.agencyId,
      caseId: record.caseId,
      step: d.step,
      kind,
      due: d.due,
      sentAt: now.toISOString(),
    });
  }
  if (fresh.length === 0) return [];
  const agency = deps.agencies.hosted(record.agencyId);
  const hooks = fresh
    .map((r) =>
      agency
        ? webhookDelivery(
            deps,
            agency,
            `deadline.${r.kind}`,
            { caseId: r.caseId, step: r.step, due: r.due, owedBy: open.find((d) => d.step === r.step)?.owedBy },
            now,
          )
        : undefined,
    )
    .filter((h): h is DeliveryRecord => h !== undefined);
  const change: StateChange = {
    reminders: fresh,
    audit: fresh.map((r) => ({
      at: r.sentAt,
      kind: `deadline.${r.kind}`,
      agencyId: r.agencyId,
      caseId: r.caseId,
      detail: { step: r.step, due: r.due },
    })),
    ...(hooks.length ? { newDeliveries: hooks } : {}),
  };
  await deps.store.commit(change);
  for (const r of fresh)
    deps.logger.info(`deadline.${r.kind}`, { agencyId: r.agencyId, caseId: r.caseId, step: r.step, due: r.due });
  if (hooks.length) deps.onQueued?.();
  return fresh;
}

/** Due within the next 3 working days of the owing agency's calendar (Asia/Shanghai dates). */
function dueSoon(deps: Pick<GatewayDeps, "calendar">, due: string, region: string, now: Date): boolean {
  const horizon = deps.calendar.addWorkingDays(toShanghaiDate(now), DUE_SOON_WORKING_DAYS, { region }).due;
  return due <= horizon;
}
