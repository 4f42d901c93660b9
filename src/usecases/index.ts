/** The gateway's use cases: what src/http and src/cli call. */
export { listAuditEvents } from "./audit.ts";
export { acknowledgeInbound, type AcknowledgeInput } from "./acknowledge.ts";
export { assessTransfer, checkDocuments, verifySealedUpload } from "./compliance.ts";
export { cancelDelivery, listDeliveries, recoverInterruptedSends, retryDelivery } from "./deliveries.ts";
export { DEFAULT_RETRY, type GatewayDeps, type RetryPolicy } from "./deps.ts";
export { createDirectoryHolder, directoryOpener, type DirectoryHolder, type DirectoryLoad, type OpenDirectory } from "./directory.ts";
export { GatewayError, type GatewayErrorCode } from "./errors.ts";
export { describeCase, listCases, readInbox, type CaseView, type DocumentSummary, type InboxEntry } from "./queries.ts";
export { receiveDocument, type ReceiveResult } from "./receive-document.ts";
export { registerApplication, type RegisterApplicationInput } from "./register-case.ts";
export { submitDocument, type SubmitInput } from "./submit-document.ts";
export type * from "./ports.ts";
export { DUE_SOON_WORKING_DAYS, sendDeadlineReminders } from "./reminders.ts";
