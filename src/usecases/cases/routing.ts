import type { GatewayDeps } from "../deps.ts";
import { GatewayError } from "../errors.ts";

/** Refuse at submission what could never be delivered: an unlisted agency, or any remote one while the directory is expired. */
export function assertRoutable(deps: Pick<GatewayDeps, "agencies">, agencyId: string, at: Date): void {
  const problem = deps.agencies.routeProblem(agencyId, at);
  if (problem) throw new GatewayError(problem.code, problem.message);
}
