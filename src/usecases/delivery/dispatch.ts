import { decideRetry, isRetryableRefusal } from "../../domain/delivery/backoff.ts";
import { receiptEntry } from "../archive/index.ts";
import { sealedDocumentBytes } from "../canonical.ts";
import type { GatewayDeps } from "../deps.ts";
import type { Committer, DeliveryRecord, DocumentReads, StateChange } from "../ports.ts";
import { StoreError } from "../store-error.ts";
import { checkReceipt } from "./receipts.ts";
import { signWebhook } from "./webhooks.ts";

/**
 * One attempt of one delivery (issue 4 item 3, issue 5 item 2): sends it, records the receipt, or
 * reschedules a failure with exponential backoff and full jitter. The attempt is marked `sending`
 * durably before the request, so after a crash it is `uncertain` and re-sent with the same bytes;
 * the receiver's idempotency by (from, id) returns the original receipt, so nothing arrives twice.
 * The `sending` mark is a claim (the state and attempts read must still hold): of several dispatchers that
 * picked the same delivery (Workers: one per event), one sends and the others skip it.
 */
/** What an attempt touches: the delivery and its document, the transport, receipt checks and the backoff. */
export type DispatchDeps = Pick<
  GatewayDeps,
  "agencies" | "clock" | "logger" | "metrics" | "random" | "retry" | "transport" | "verifier" | "webhooks"
> & { store: DocumentReads & Committer };

export async function dispatchDelivery(deps: DispatchDeps, delivery: DeliveryRecord): Promise<void> {
  const attempt = delivery.attempts + 1;
  const updatedAt = deps.clock.now().toISOString();
  // Claimed, not just marked: on Workers several events dispatch at once, and only one may send an attempt.
  const expected = { state: delivery.state, attempts: delivery.attempts };
  try {
    await deps.store.commit({
      deliveryUpdates: [{ id: delivery.id, state: "sending", attempts: attempt, updatedAt, expected }],
    });
  } catch (err) {
    if (err instanceof StoreError && err.code === "VERSION_CONFLICT") return; // another dispatcher has it
    throw err;
  }
  const change =
    delivery.kind === "webhook"
      ? await sendWebhook(deps, delivery, attempt)
      : await sendDocument(deps, delivery, attempt);
  await deps.store.commit(change);
  logAttempt(deps, delivery, attempt, change);
}

/** One line per delivery attempt once its outcome is durable (issue 15 item 7). */
function logAttempt(deps: DispatchDeps, delivery: DeliveryRecord, attempt: number, change: StateChange): void {
  const update = change.deliveryUpdates?.[0];
  deps.logger.info("delivery.attempt", {
    deliveryId: delivery.id,
    kind: delivery.kind,
    ...(delivery.documentId ? { documentId: delivery.documentId } : {}),
    target: delivery.kind === "webhook" ? "webhook" : delivery.target,
    attempt,
    outcome: update?.state,
    ...(update?.lastError ? { error: update.lastError } : {}),
  });
}

async function sendDocument(deps: DispatchDeps, delivery: DeliveryRecord, attempt: number): Promise<StateChange> {
  const key = {
    ownerAgency: delivery.ownerAgency,
    direction: "out" as const,
    from: delivery.ownerAgency,
    documentId: delivery.documentId!,
  };
  const record = await deps.store.getDocument(key);
  if (!record) return failed(deps, delivery, attempt, "DOCUMENT_MISSING", "the document of this delivery is gone");
  const outcome = await deps.transport.deliver(delivery.target, sealedDocumentBytes(record.canonical, record.seal));
  const at = deps.clock.now().toISOString();
  if (outcome.kind === "receipt") {
    const receipt = new TextDecoder().decode(outcome.body);
    const check = checkReceipt(deps, record, receipt);
    if (!check.ok) {
      deps.logger.error("delivery.receipt-invalid", {
        deliveryId: delivery.id,
        documentId: record.documentId,
        reason: check.reason,
      });
      const alert = {
        at,
        kind: "alert.receipt-invalid",
        agencyId: delivery.ownerAgency,
        caseId: record.caseId,
        documentId: record.documentId,
        detail: { reason: check.reason },
      };
      return { ...retry(deps, delivery, attempt, `RECEIPT_INVALID: ${check.reason}`), audit: [alert] };
    }
    deps.metrics.count("jiexu_documents_out_total", { type: record.type, outcome: "delivered" });
    return {
      deliveryUpdates: [{ id: delivery.id, state: "delivered", lastError: null, updatedAt: at }],
      documentUpdates: [{ key, state: "delivered", receipt }],
      archive: [receiptEntry(record, receipt, at)],
      audit: [
        {
          at,
          kind: "document.delivered",
          agencyId: delivery.ownerAgency,
          caseId: record.caseId,
          documentId: record.documentId,
          detail: { to: delivery.target, attempts: attempt },
        },
      ],
    };
  }
  if (outcome.kind === "rejected" && !isRetryableRefusal(outcome.status, outcome.code)) {
    deps.metrics.count("jiexu_documents_out_total", { type: record.type, outcome: "rejected" });
    return {
      ...failed(deps, delivery, attempt, outcome.code, outcome.message),
      documentUpdates: [{ key, state: "failed" }],
    };
  }
  const why = outcome.kind === "rejected" ? `${outcome.code}: ${outcome.message}` : outcome.message;
  const next = retry(deps, delivery, attempt, why, outcome.kind === "uncertain" ? "uncertain" : "retrying");
  return { ...next, documentUpdates: [{ key, state: next.deliveryUpdates![0]!.state }] };
}

async function sendWebhook(deps: DispatchDeps, delivery: DeliveryRecord, attempt: number): Promise<StateChange> {
  const agency = deps.agencies.hosted(delivery.ownerAgency);
  if (!agency?.webhook || !deps.webhooks)
    return failed(deps, delivery, attempt, "WEBHOOK_UNCONFIGURED", "no webhook configured");
  const body = delivery.payload ?? "{}";
  const r = await deps.webhooks.post(delivery.target, body, signWebhook(agency.webhook.secret, body));
  if (r.ok)
    return {
      deliveryUpdates: [
        { id: delivery.id, state: "delivered", lastError: null, updatedAt: deps.clock.now().toISOString() },
      ],
    };
  return retry(deps, delivery, attempt, `webhook answered ${r.status ?? r.message}`);
}

/**
 * Next attempt after `attempt` failures: full jitter, uniform in [0, min(cap, base·2^attempt)]
 * (the AWS architecture blog's "full jitter"), or `failed` once the delivery is older than maxAge
 * (the schedule itself is src/domain/delivery/backoff.ts).
 */
export function retry(
  deps: Pick<GatewayDeps, "clock" | "logger" | "random" | "retry">,
  delivery: DeliveryRecord,
  attempt: number,
  error: string,
  state: "retrying" | "uncertain" = "retrying",
): StateChange {
  const now = deps.clock.now();
  const decision = decideRetry(
    { attempt, createdAtMs: Date.parse(delivery.createdAt), nowMs: now.getTime(), random: deps.random },
    deps.retry,
  );
  if (decision.kind === "give-up") return failed(deps, delivery, attempt, "MAX_AGE", error);
  return {
    deliveryUpdates: [
      {
        id: delivery.id,
        state,
        nextAttemptAt: new Date(decision.at).toISOString(),
        lastError: error,
        updatedAt: now.toISOString(),
      },
    ],
  };
}

function failed(
  deps: Pick<GatewayDeps, "clock" | "logger">,
  delivery: DeliveryRecord,
  attempt: number,
  code: string,
  message: string,
): StateChange {
  const at = deps.clock.now().toISOString();
  deps.logger.warn("delivery.failed", { deliveryId: delivery.id, code, attempts: attempt });
  return {
    deliveryUpdates: [{ id: delivery.id, state: "failed", lastError: `${code}: ${message}`, updatedAt: at }],
    audit: [
      {
        at,
        kind: "delivery.failed",
        agencyId: delivery.ownerAgency,
        ...(delivery.documentId ? { documentId: delivery.documentId } : {}),
        detail: { code, message, attempts: attempt },
      },
    ],
  };
}
