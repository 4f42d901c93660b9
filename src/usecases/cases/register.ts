import { CaseError } from "../../domain/transfer-case/index.ts";
import type { GatewayDeps } from "../deps.ts";
import type { CaseReads, Committer, DocumentReads, Principal } from "../ports.ts";
import { handleCaseCommand } from "./handle-command.ts";
import { requireAgency } from "../principal.ts";
import { assertRoutable } from "./routing.ts";
import { describeCase, type CaseView } from "./queries.ts";

export interface RegisterApplicationInput {
  /** Optional client-chosen id (idempotent re-registration is refused as CASE_ALREADY_OPENED). */
  caseId?: string;
  /** The transfer-out agency (原参保地). */
  transferOutAgency: string;
  priority?: boolean;
  temporaryAccount?: boolean;
}

/** What registering touches: the case (and its view read back), the route to the counterpart, a new id. */
export type RegisterDeps = Pick<GatewayDeps, "agencies" | "clock" | "decider" | "ids"> & {
  store: CaseReads & DocumentReads & Committer;
};

/** Transfer-in agency records an application (66号 art 8(一)); the contact-letter clock starts. */
export async function registerApplication(
  deps: RegisterDeps,
  principal: Principal,
  input: RegisterApplicationInput,
): Promise<CaseView> {
  const agencyId = requireAgency(principal);
  const now = deps.clock.now();
  assertRoutable(deps, input.transferOutAgency, now);
  const caseId = input.caseId ?? deps.ids.newId("case");
  const opened = await handleCaseCommand(deps, { agencyId, caseId }, (loaded) => {
    if (loaded.version !== 0) throw new CaseError("CASE_ALREADY_OPENED", `case ${caseId} already exists`);
    return {
      command: {
        type: "RegisterApplication",
        caseId,
        data: {
          counterpartId: input.transferOutAgency,
          ...(input.priority ? { priority: true } : {}),
          ...(input.temporaryAccount ? { temporaryAccount: true } : {}),
        },
        metadata: { now, actor: { agencyId, role: "transfer-in" } },
      },
      batch: () => ({
        change: { audit: [{ at: now.toISOString(), kind: "case.registered", agencyId, caseId }] },
        result: caseId,
      }),
    };
  });
  return describeCase(deps, principal, opened);
}
