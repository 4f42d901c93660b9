import { createHmac } from "node:crypto";
import type { GatewayDeps } from "../deps.ts";
import type { DeliveryRecord, HostedAgency } from "../ports.ts";

/**
 * Optional per-agency webhook (issue 4 item 3): a delivery row committed with the state change it
 * announces, so a notification is never lost nor sent for a change that did not happen.
 */
export function webhookDelivery(
  deps: Pick<GatewayDeps, "ids">,
  owner: HostedAgency,
  event: string,
  data: Record<string, unknown>,
  now: Date,
): DeliveryRecord | undefined {
  if (!owner.webhook) return undefined;
  const id = deps.ids.newId("hook");
  const payload = JSON.stringify({ id, event, agencyId: owner.id, at: now.toISOString(), data });
  const at = now.toISOString();
  return {
    id,
    kind: "webhook",
    ownerAgency: owner.id,
    target: owner.webhook.url,
    payload,
    state: "queued",
    attempts: 0,
    nextAttemptAt: at,
    createdAt: at,
    updatedAt: at,
  };
}

/** `sha256=<hex>` HMAC of the exact body, sent as X-Jiexu-Signature. */
export function signWebhook(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}
