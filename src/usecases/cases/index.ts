/** Cases: register, submit, receive and acknowledge transfer documents, and read cases back. */
export { acknowledgeInbound, type AcknowledgeInput } from "./acknowledge.ts";
export { expectedDocuments, readCaseWorkbench, type CaseWorkbench } from "./case-detail.ts";
export { readInbox, readPendingInbox, type InboxEntry } from "./inbox.ts";
export { describeCase, listCases, type CaseView, type DocumentSummary } from "./queries.ts";
export { receiveDocument, type ReceiveResult } from "./receive.ts";
export { registerApplication, type RegisterApplicationInput } from "./register.ts";
export { submitDocument, type SubmitInput } from "./submit.ts";
export { printTrackedVoucher, type TrackedVoucher } from "./track-voucher.ts";
export {
  TRACK_LIMIT,
  trackCase,
  type AgencyRef,
  type Milestone,
  type TrackAnswer,
  type TrackedCase,
  type TrackQuery,
  type TrackStep,
  type TrackStepKind,
} from "./track.ts";
