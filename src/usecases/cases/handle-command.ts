import type { CaseCommand, CaseState } from "../../domain/transfer-case/index.ts";
import type { GatewayDeps } from "../deps.ts";
import { GatewayError } from "../errors.ts";
import type { CaseReads, Committer, StateChange } from "../ports.ts";
import { dueSoonOn, lookAfterWrite } from "../reminder-schedule.ts";
import { StoreError } from "../store-error.ts";
import { type LoadedCase, loadCase } from "./state.ts";

/**
 * The one case command handler (issue 10 item 2), after emmett's `CommandHandler({ evolve, initialState })`:
 * load the agency's view of the case, decide the command and fold its events, let the caller add the rest
 * of the batch, commit it all as one guarded StateChange. A VERSION_CONFLICT means another writer moved the
 * case between load and commit and nothing of the batch was written, so the whole load → decide → commit
 * runs again on the fresh case, a bounded number of times, before the caller gets CASE_CONFLICT.
 */

export type CaseWrite = NonNullable<StateChange["caseWrite"]>;

/** The rest of a batch: what the caller commits with the case write. */
export type CaseBatch = Omit<StateChange, "caseWrite">;

/** How many load → decide → commit attempts a case that keeps moving gets before CASE_CONFLICT. */
export interface ConflictRetry {
  attempts: number;
}

export const DEFAULT_CONFLICT_RETRY: ConflictRetry = { attempts: 3 };

export type CaseCommandDeps = Pick<GatewayDeps, "decider" | "calendar"> &
  Partial<Pick<GatewayDeps, "logger">> & { store: CaseReads & Committer };

/** The case as one attempt decided it. */
export interface DecidedCase {
  /** The state after the command's events; the loaded state when there was no command. */
  state: CaseState;
  /** The events as a write guarded by the loaded version; absent when the batch changes no case step. */
  write?: CaseWrite;
}

/** What the caller makes of the loaded case in one attempt. */
export interface CasePlan<R> {
  /** The command to decide; null when the batch changes no case step (a business receipt). */
  command: CaseCommand | null;
  /** The rest of the batch on the decided case (documents, deliveries, archive entries, audit), and the result. */
  batch(decided: DecidedCase): { change: CaseBatch; result: R };
}

/**
 * Runs `plan` on the loaded case, decides its command, commits the batch and returns its result. Refusals
 * (thrown by `plan`, the decider or `batch`) write nothing and propagate as they are; so does every store
 * error but VERSION_CONFLICT (DUPLICATE_DOCUMENT is answered by the callers that can meet it). Each attempt
 * runs `plan` and `batch` afresh on the case it loaded: whatever they derive from the case is derived again.
 */
export async function handleCaseCommand<R>(
  deps: CaseCommandDeps,
  target: { agencyId: string; caseId: string },
  plan: (loaded: LoadedCase) => CasePlan<R> | Promise<CasePlan<R>>,
  retry: ConflictRetry = DEFAULT_CONFLICT_RETRY,
  firstLoad?: Promise<LoadedCase>,
): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    // The caller may have started the first load beside its own reads (one D1 round trip instead of two); a
    // retry always loads afresh.
    const loaded = await ((attempt === 1 && firstLoad) || loadCase(deps, target.agencyId, target.caseId));
    const { command, batch } = await plan(loaded);
    const decided: DecidedCase = command ? decide(deps, loaded, command) : { state: loaded.state };
    const { change, result } = batch(decided);
    try {
      // Object.assign, not `{ caseWrite, ...change }` (Node 20's V8 is slow on members next to a spread; issue 12).
      await deps.store.commit(decided.write ? Object.assign({ caseWrite: decided.write }, change) : change);
      if (decided.write) logStateChange(deps, loaded, decided.write);
      return result;
    } catch (err) {
      if (!(err instanceof StoreError && err.code === "VERSION_CONFLICT")) throw err;
      if (attempt >= retry.attempts) {
        throw new GatewayError("CASE_CONFLICT", "the case changed concurrently; retry", { cause: err });
      }
    }
  }
}

/**
 * Decide and fold: the events, the state they lead to, and their write guarded by the version decided on, with
 * the case's first reminder look after it (so a reminder pass reads the case only when something may fall due).
 */
function decide(
  deps: Pick<GatewayDeps, "decider" | "calendar">,
  loaded: LoadedCase,
  command: CaseCommand,
): Required<DecidedCase> {
  const events = deps.decider.decide(command, loaded.state);
  const state = events.reduce((s, e) => deps.decider.evolve(s, e), loaded.state);
  const now = command.metadata.now;
  const at = now.toISOString();
  const remindAt = lookAfterWrite(loaded.state, state, now, dueSoonOn(deps.calendar));
  const { agencyId, caseId, version: expectedVersion } = loaded;
  const write: CaseWrite = { agencyId, caseId, expectedVersion, state, events, at };
  if (remindAt !== undefined) write.remindAt = remindAt;
  return { state, write };
}

/** One line per committed state change (issue 15 item 6–7): the case, the status it left and reached, the events. */
function logStateChange(deps: Partial<Pick<GatewayDeps, "logger">>, loaded: LoadedCase, write: CaseWrite): void {
  deps.logger?.info("case.changed", {
    agencyId: write.agencyId,
    caseId: write.caseId,
    version: write.expectedVersion + write.events.length,
    from: loaded.state.status,
    to: write.state.status,
    events: write.events.map((e) => e.type),
  });
}
