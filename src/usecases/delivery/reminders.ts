import { toShanghaiDate } from "../../domain/calendar/index.ts";
import type { GatewayDeps } from "../deps.ts";
import type {
  Committer,
  DeliveryRecord,
  RemindableCase,
  RemindCursor,
  ReminderReads,
  ReminderRecord,
  ReminderVisit,
  StateChange,
} from "../ports.ts";
import { dueSoonOn, nextReminderAt } from "../reminder-schedule.ts";
import { webhookDelivery } from "./webhooks.ts";

/** What the pass touches: open cases and the reminders already sent, the calendar, webhooks of the agencies. */
type ReminderDeps = Pick<GatewayDeps, "agencies" | "calendar" | "clock" | "decider" | "ids" | "logger" | "onQueued"> & {
  store: ReminderReads & Committer;
};

/** How many cases one pass looks at, at most: a cron invocation on Workers has bounded time and D1 queries. */
export const MAX_CASES_PER_PASS = 1000;
const PAGE = 200;

/** What one pass did: the cases it looked at and the reminders it sent. */
export interface ReminderPass {
  looked: number;
  overdue: number;
  dueSoon: number;
}

/**
 * The deadline reminder pass (run from the Node timer, and from a cron trigger on Workers): for every
 * open step, one `deadline.overdue` event once it is overdue and one `deadline.due-soon` event when it
 * falls due within 3 working days — each emitted once per due date, as an audit event and, where the
 * agency has one, a webhook.
 *
 * It reads only the cases due a look (`cases.remind_at`, oldest first), not every open case: each one it looks at
 * is scheduled for the next moment a reminder could fall due (reminder-schedule.ts), and a case write makes its case
 * due at once. At most `maxCases` per pass; the rest stay due for the next.
 */
export async function sendDeadlineReminders(
  deps: ReminderDeps,
  options: { maxCases?: number } = {},
): Promise<ReminderPass> {
  const now = deps.clock.now();
  const maxCases = options.maxCases ?? MAX_CASES_PER_PASS;
  const done: ReminderPass = { looked: 0, overdue: 0, dueSoon: 0 };
  let after: RemindCursor | undefined;
  while (done.looked < maxCases) {
    const limit = Math.min(PAGE, maxCases - done.looked);
    const page = await deps.store.casesToRemind({ dueBy: now.toISOString(), ...(after ? { after } : {}), limit });
    const quiet: ReminderVisit[] = [];
    for (const record of page) {
      const { sent, visit } = await remindCase(deps, record, now);
      if (sent.length === 0) quiet.push(visit);
      done.overdue += sent.filter((r) => r.kind === "overdue").length;
      done.dueSoon += sent.filter((r) => r.kind === "due-soon").length;
    }
    // The page's cases with nothing to send get their next look in one batch.
    if (quiet.length) await deps.store.commit({ reminderVisits: quiet });
    done.looked += page.length;
    after = page.at(-1);
    if (page.length < limit) break;
  }
  return done;
}

/** Sends what is due on one case; a case with nothing to send is only scheduled (by the caller, in a batch). */
async function remindCase(
  deps: ReminderDeps,
  record: RemindableCase,
  now: Date,
): Promise<{ sent: ReminderRecord[]; visit: ReminderVisit }> {
  const open = deps.decider.openDeadlines(deps.decider.upgrade(record.state), now);
  const isDueSoon = dueSoonOn(deps.calendar);
  const today = toShanghaiDate(now);
  const due = open.filter((d) => d.overdue || isDueSoon(d.due, d.owedBy, today));
  const already = due.length ? await deps.store.sentReminders(record.agencyId, record.caseId) : [];
  const fresh: ReminderRecord[] = [];
  for (const d of due) {
    const kind = d.overdue ? "overdue" : "due-soon";
    if (already.some((r) => r.step === d.step && r.kind === kind && r.due === d.due)) continue;
    fresh.push({
      agencyId: record.agencyId,
      caseId: record.caseId,
      step: d.step,
      kind,
      due: d.due,
      sentAt: now.toISOString(),
    });
  }
  const remindAt = nextReminderAt(open, [...already, ...fresh], now, isDueSoon);
  const visit: ReminderVisit = { agencyId: record.agencyId, caseId: record.caseId, version: record.version, remindAt };
  if (fresh.length === 0) return { sent: [], visit };
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
    reminderVisits: [visit],
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
  return { sent: fresh, visit };
}
