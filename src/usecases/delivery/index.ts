/** Delivery: the outbox sent to peer gateways and webhooks, its receipts, retries and deadline reminders. */
export {
  cancelDelivery,
  listCaseDeliveries,
  listDeliveries,
  recoverInterruptedSends,
  retryDelivery,
} from "./deliveries.ts";
export { DEFAULT_DISPATCH_LIMITS, createOutboxDispatcher, type OutboxDispatcher } from "./outbox-dispatcher.ts";
export { issueReceipt } from "./receipts.ts";
export { DUE_SOON_WORKING_DAYS } from "../reminder-schedule.ts";
export { MAX_QUERIES_PER_PASS, type ReminderPass, sendDeadlineReminders } from "./reminders.ts";
export { webhookDelivery } from "./webhooks.ts";
