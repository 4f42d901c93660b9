import type { AuditEvent, AuditReads, Principal } from "../ports.ts";
import { requireRole } from "../principal.ts";

/** Compliance and admin read the audit trail (security events such as equivocation included). */
export async function listAuditEvents(
  deps: { store: AuditReads },
  principal: Principal,
  query: { agencyId?: string; kind?: string; limit?: number },
): Promise<AuditEvent[]> {
  requireRole(principal, "compliance", "admin");
  return deps.store.auditEvents({
    ...(query.agencyId ? { agencyId: query.agencyId } : {}),
    ...(query.kind ? { kind: query.kind } : {}),
    limit: Math.min(Math.max(query.limit ?? 100, 1), 1000),
  });
}
