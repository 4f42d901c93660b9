import { toShanghaiDate } from "../../domain/calendar/index.ts";
import type { GatewayDeps } from "../deps.ts";
import { OPEN_CASE_STATUSES } from "../../domain/transfer-case/index.ts";
import type {
  CaseRecord,
  Committer,
  DeliveryRecord,
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

/**
 * Store round trips one pass makes at most (page reads, sent-reminder reads, commits): a Worker's cron invocation has
 * a bounded number of D1 queries (1,000 on the paid plan), shared with the dispatcher's. Node's timer passes none.
 */
export const MAX_QUERIES_PER_PASS = 400;
const PAGE = 200;
/** A case whose look failed (its error logged) is looked at again this much later, not first in every pass. */
const FAILED_LOOK_RETRY_MS = 3_600_000;

/** What one pass did: the cases it looked at and the reminders it sent. */
export interface ReminderPass {
  looked: number;
  overdue: number;
  dueSoon: number;
}

type Budget = { left: number };

/**
 * The deadline reminder pass (run from the Node timer, and from a cron trigger on Workers): for every
 * open step, one `deadline.overdue` event once it is overdue and one `deadline.due-soon` event when it
 * falls due within 3 working days — each emitted once per due date, as an audit event and, where the
 * agency has one, a webhook.
 *
 * It reads only the cases due a look (`cases.remind_at`, oldest first), not every open case: each one it looks at
 * is scheduled for the next moment a reminder could fall due (reminder-schedule.ts), as a case write schedules its
 * own. Open cases no look has scheduled (stored before schedules existed, or by an earlier version) come first.
 * Within `maxQueries`; what is left stays due for the next pass.
 */
export async function sendDeadlineReminders(
  deps: ReminderDeps,
  options: { maxQueries?: number } = {},
): Promise<ReminderPass> {
  const now = deps.clock.now();
  const budget: Budget = { left: options.maxQueries ?? MAX_QUERIES_PER_PASS };
  const done: ReminderPass = { looked: 0, overdue: 0, dueSoon: 0 };
  const pass = { deps, now, budget, done };
  for (const status of OPEN_CASE_STATUSES)
    await lookThrough(pass, (after) =>
      deps.store.unscheduledCases({ status, limit: PAGE, ...(after ? { after } : {}) }),
    );
  await lookThrough(pass, (after: RemindCursor | undefined) =>
    deps.store.casesToRemind({ dueBy: now.toISOString(), limit: PAGE, ...(after ? { after } : {}) }),
  );
  return done;
}

/** Pages through `read` (keyset: each page after the last case looked at) while the budget lasts. */
async function lookThrough<C extends CaseRecord>(
  pass: { deps: ReminderDeps; now: Date; budget: Budget; done: ReminderPass },
  read: (after: C | undefined) => Promise<C[]>,
): Promise<void> {
  let after: C | undefined;
  for (let more = true; more && pass.budget.left > 2; ) {
    pass.budget.left--;
    const page = await read(after);
    const looked = await lookAt(pass.deps, page, pass.now, pass.budget, pass.done);
    after = page[looked - 1];
    more = looked === PAGE;
  }
}

/**
 * Looks at a page's cases while the budget lasts (one with something due reads its sent reminders and commits); those
 * with nothing to send get their next look in one batch. Returns how many it looked at, the first ones of the page.
 */
async function lookAt(
  deps: ReminderDeps,
  page: readonly CaseRecord[],
  now: Date,
  budget: Budget,
  done: ReminderPass,
): Promise<number> {
  const quiet: ReminderVisit[] = [];
  let looked = 0;
  for (const record of page) {
    if (budget.left < 3) break; // this case's read and commit, and the page's batch
    const { sent, visit } = await remindSafely(deps, record, now, budget);
    if (sent.length === 0) quiet.push(visit);
    done.overdue += sent.filter((r) => r.kind === "overdue").length;
    done.dueSoon += sent.filter((r) => r.kind === "due-soon").length;
    looked++;
  }
  if (quiet.length) {
    budget.left--;
    await deps.store.commit({ reminderVisits: quiet });
  }
  done.looked += looked;
  return looked;
}

/** One case's look; a case that fails (logged) is looked at again an hour on, so it holds up no other case. */
async function remindSafely(deps: ReminderDeps, record: CaseRecord, now: Date, budget: Budget) {
  try {
    return await remindCase(deps, record, now, budget);
  } catch (err) {
    budget.left -= 2;
    const { agencyId, caseId, version } = record;
    deps.logger.warn("reminders.case-error", { agencyId, caseId, message: (err as Error).message });
    const remindAt = new Date(now.getTime() + FAILED_LOOK_RETRY_MS).toISOString();
    return { sent: [] as ReminderRecord[], visit: { agencyId, caseId, version, remindAt } };
  }
}

/** Sends what is due on one case; a case with nothing to send is only scheduled (by the caller, in a batch). */
async function remindCase(
  deps: ReminderDeps,
  record: CaseRecord,
  now: Date,
  budget: Budget,
): Promise<{ sent: ReminderRecord[]; visit: ReminderVisit }> {
  const open = deps.decider.openDeadlines(deps.decider.upgrade(record.state), now);
  const isDueSoon = dueSoonOn(deps.calendar);
  const today = toShanghaiDate(now);
  const due = open.filter((d) => d.overdue || isDueSoon(d.due, d.owedBy, today));
  if (due.length) budget.left--;
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
  // Null for a case found closed (a write since the page was read): no more looks.
  const remindAt = open.length ? nextReminderAt(open, [...already, ...fresh], now, isDueSoon) : null;
  const visit: ReminderVisit = { agencyId: record.agencyId, caseId: record.caseId, version: record.version, remindAt };
  if (fresh.length === 0) return { sent: [], visit };
  budget.left--;
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
