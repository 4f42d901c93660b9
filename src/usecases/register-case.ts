import { CaseError } from "../domain/transfer-case/index.ts";
import { applyCommand, loadCase } from "./case-state.ts";
import type { GatewayDeps } from "./deps.ts";
import type { Principal } from "./ports.ts";
import { requireAgency } from "./principal.ts";
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

/** Transfer-in agency records an application (66号 art 8(一)); the contact-letter clock starts. */
export async function registerApplication(deps: GatewayDeps, principal: Principal, input: RegisterApplicationInput): Promise<CaseView> {
  const agencyId = requireAgency(principal);
  const now = deps.clock.now();
  assertRoutable(deps, input.transferOutAgency, now);
  const caseId = input.caseId ?? deps.ids.newId("case");
  const loaded = await loadCase(deps, agencyId, caseId);
  if (loaded.version !== 0) throw new CaseError("CASE_ALREADY_OPENED", `case ${caseId} already exists`);
  const caseWrite = applyCommand(deps, loaded, {
    type: "RegisterApplication", caseId,
    data: { counterpartId: input.transferOutAgency, ...(input.priority ? { priority: true } : {}), ...(input.temporaryAccount ? { temporaryAccount: true } : {}) },
    metadata: { now, actor: { agencyId, role: "transfer-in" } },
  }, now);
  await deps.store.commit({ caseWrite, audit: [{ at: now.toISOString(), kind: "case.registered", agencyId, caseId }] });
  return describeCase(deps, principal, caseId);
}
