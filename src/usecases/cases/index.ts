/** Cases: register, submit, receive and acknowledge transfer documents, and read cases back. */
export { acknowledgeInbound, type AcknowledgeInput } from "./acknowledge.ts";
export { expectedDocuments, readCaseWorkbench, type CaseWorkbench } from "./case-detail.ts";
export {
  describeCase,
  listCases,
  readInbox,
  readPendingInbox,
  type CaseView,
  type DocumentSummary,
  type InboxEntry,
} from "./queries.ts";
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
