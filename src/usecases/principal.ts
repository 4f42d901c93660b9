import { GatewayError } from "./errors.ts";
import type { Principal } from "./ports.ts";

/** The agency an agency-role caller acts for; other roles cannot act on cases. */
export function requireAgency(principal: Principal): string {
  if (principal.role !== "agency" || !principal.agencyId)
    throw new GatewayError("FORBIDDEN", "only an agency token can act on cases");
  return principal.agencyId;
}

/** Whose cases a caller may read: its own agency's, or every agency's for compliance and admin. */
export function readableAgency(principal: Principal, agencyId?: string): string | undefined {
  if (principal.role === "agency") {
    if (agencyId && agencyId !== principal.agencyId)
      throw new GatewayError("FORBIDDEN", "an agency only sees its own cases");
    return principal.agencyId;
  }
  return agencyId;
}

export function requireRole(principal: Principal, ...roles: Principal["role"][]): void {
  if (!roles.includes(principal.role)) throw new GatewayError("FORBIDDEN", `requires role ${roles.join(" or ")}`);
}
