import type { GatewayDeps } from "../deps.ts";
import { GatewayError } from "../errors.ts";
import type { Committer, DeliveryRecord, DocumentReads, OutboundState, OutboxReads, Principal } from "../ports.ts";
import { readableAgency, requireRole } from "../principal.ts";

/** Operators' view of the outbox (issue 5 item 2): list by state, retry now, cancel. */
/** What changing the outbox by hand touches: its rows, and the clock that stamps the change. */
type OutboxDeps = Pick<GatewayDeps, "clock" | "onQueued"> & { store: OutboxReads & Committer };

export async function listDeliveries(
  deps: { store: OutboxReads },
  principal: Principal,
  query: { state?: OutboundState; limit?: number },
): Promise<DeliveryRecord[]> {
  const owner = readableAgency(principal);
  return deps.store.listDeliveries({
    ...(owner ? { ownerAgency: owner } : {}),
    ...(query.state ? { state: query.state } : {}),
    limit: Math.min(query.limit ?? 100, 500),
  });
}

/** The deliveries of one case's outbound documents, for the agency holding that view of the case. */
export async function listCaseDeliveries(
  deps: { store: OutboxReads & DocumentReads },
  principal: Principal,
  caseId: string,
): Promise<DeliveryRecord[]> {
  const owner = readableAgency(principal);
  if (!owner) throw new GatewayError("FORBIDDEN", "a case's deliveries are read by its agency");
  const documents = await deps.store.caseDocuments(owner, caseId);
  const documentIds = documents.filter((d) => d.direction === "out").map((d) => d.documentId);
  if (documentIds.length === 0) return [];
  return deps.store.listDeliveries({ ownerAgency: owner, documentIds, limit: 500 });
}

export async function retryDelivery(deps: OutboxDeps, principal: Principal, id: string): Promise<DeliveryRecord> {
  const delivery = await ownDelivery(deps, principal, id);
  if (delivery.state === "delivered" || delivery.state === "cancelled")
    throw new GatewayError("REQUEST_INVALID", `delivery is ${delivery.state}`);
  const at = deps.clock.now().toISOString();
  await deps.store.commit({
    deliveryUpdates: [{ id, state: "retrying", nextAttemptAt: at, updatedAt: at }],
    audit: [
      {
        at,
        kind: "delivery.retry-requested",
        agencyId: delivery.ownerAgency,
        ...(delivery.documentId ? { documentId: delivery.documentId } : {}),
        detail: { by: principal.tokenId },
      },
    ],
  });
  deps.onQueued?.();
  return (await deps.store.getDelivery(id))!;
}

export async function cancelDelivery(deps: OutboxDeps, principal: Principal, id: string): Promise<DeliveryRecord> {
  const delivery = await ownDelivery(deps, principal, id);
  if (delivery.state === "delivered")
    throw new GatewayError("REQUEST_INVALID", "a delivered document cannot be cancelled");
  const at = deps.clock.now().toISOString();
  await deps.store.commit({
    deliveryUpdates: [{ id, state: "cancelled", updatedAt: at }],
    audit: [
      {
        at,
        kind: "delivery.cancelled",
        agencyId: delivery.ownerAgency,
        ...(delivery.documentId ? { documentId: delivery.documentId } : {}),
        detail: { by: principal.tokenId },
      },
    ],
  });
  return (await deps.store.getDelivery(id))!;
}

/**
 * A delivery the caller may act on: the owning agency's or, for admin, any. Compliance reads the
 * outbox but never changes it (issue 9 item 11); another agency's delivery is not found.
 */
async function ownDelivery(deps: { store: OutboxReads }, principal: Principal, id: string): Promise<DeliveryRecord> {
  requireRole(principal, "agency", "admin");
  const delivery = await deps.store.getDelivery(id);
  const owner = readableAgency(principal);
  if (!delivery || (owner && delivery.ownerAgency !== owner))
    throw new GatewayError("DELIVERY_NOT_FOUND", `no delivery ${id}`);
  return delivery;
}

/**
 * After a crash, sends that were in flight are `uncertain`: re-sent with the same bytes at once (the receiver
 * answers a replay with its first receipt). A server recovers them all at start-up. On Workers, where several
 * isolates share the outbox and one may be evicted mid-send, only rows `sending` since before `staleBefore`
 * (older than any send could last) are taken: a younger one may be another isolate's send in flight.
 */
export async function recoverInterruptedSends(deps: OutboxDeps, options: { staleBefore?: Date } = {}): Promise<number> {
  const sending = await deps.store.listDeliveries({ state: "sending", limit: 10_000 });
  const cutoff = options.staleBefore?.toISOString();
  const stuck = cutoff === undefined ? sending : sending.filter((d) => d.updatedAt < cutoff);
  if (stuck.length === 0) return 0;
  const at = deps.clock.now().toISOString();
  await deps.store.commit({
    deliveryUpdates: stuck.map((d) => ({
      id: d.id,
      state: "uncertain" as const,
      nextAttemptAt: at,
      lastError: "interrupted: request sent, no answer recorded",
      updatedAt: at,
    })),
  });
  return stuck.length;
}
