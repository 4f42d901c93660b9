import { maskIdNumber, maskPersonName, sameIdNumber } from "../../domain/identifiers/index.ts";
import { toPriority, type CaseState, type CaseStatus, type Step } from "../../domain/transfer-case/index.ts";
import type { PriorityReasonCode } from "../../domain/documents/index.ts";
import type { GatewayDeps } from "../deps.ts";
import type { CaseReads, CaseRecord, DocumentReads } from "../ports.ts";
import { documentOf, sha256Hex } from "../canonical.ts";
import { createKeyedLimiter, type RateLimit } from "../rate-limit.ts";
import { ownVoucherOf } from "./own-voucher.ts";
import { maskExplanation } from "./track-mask.ts";
import { agencyRefs, type AgencyRef } from "./track-agencies.ts";
import { mergeSteps, milestonesOfStep, pendingMilestones, type Milestone, type TrackStep } from "./track-steps.ts";

export type { AgencyRef } from "./track-agencies.ts";
export type { Milestone, TrackStep, TrackStepKind } from "./track-steps.ts";

/**
 * The employee's tracking lookup (issue 13 item 1): a case number or voucher number together with the
 * person's 公民身份号码. Both must match; a wrong pair and a missing case get the same answer, and each client
 * has a token bucket so numbers cannot be enumerated. No login: the pair is the whole credential, so nothing
 * the answer shows is unmasked beyond what the person typed.
 */
export const TRACK_LIMIT: RateLimit = { burst: 10, perSecond: 1 / 30 };
/**
 * A second bucket per ID number, whatever the address: a leaked ID number walked across sequential case
 * numbers from many addresses is stopped here (review 13a #5). The key is a digest, so the buckets never
 * hold ID numbers. The price: someone who knows a person's ID number can hold that person's lookups back
 * for a while — never show them anything.
 */
export const TRACK_ID_LIMIT: RateLimit = { burst: 10, perSecond: 1 / 30 };
const admitClient = createKeyedLimiter(TRACK_LIMIT, "tracking lookups");
const admitIdNumber = createKeyedLimiter(TRACK_ID_LIMIT, "tracking lookups of one ID number");

export interface TrackQuery {
  /** A case id (e.g. CASE-330000-2024-000815) or the id of the case's contribution voucher. */
  reference: string;
  idNumber: string;
  /** Who asks (the client address at the edge): the rate-limit key. */
  client: string;
}

export interface TrackedCase {
  caseId: string;
  status: CaseStatus;
  /** Masked: 陈*强, 330106********123X. */
  person: { name: string; idNumber: string };
  priority: PriorityReasonCode | null;
  transferIn: AgencyRef;
  transferOut: AgencyRef;
  /** The agency that owes the open step (absent once closed). */
  holder?: AgencyRef;
  deadline?: { step: Step; due: string; workingDays: number; startedOn: string; overdue: boolean };
  steps: TrackStep[];
  /** Milestones still ahead, and those of them the open step is about. */
  pending: Milestone[];
  current: Milestone[];
  /** A return or written refusal: its reason code and the agency's explanation (ID numbers masked). */
  reason?: { reasonCode: string; explanation: string };
  /** The open 核对不符, with its document's explanation (masked) when this gateway holds it. */
  discrepancy?: { reasonCode: string; explanation?: string };
  voucher: { id: string } | null;
  openedAt: string;
  closedAt?: string;
}

export type TrackAnswer = { found: false } | { found: true; tracked: TrackedCase };

export type TrackDeps = Pick<GatewayDeps, "clock" | "decider" | "agencies"> & { store: CaseReads & DocumentReads };

function admit(deps: Pick<GatewayDeps, "clock">, query: TrackQuery): void {
  admitClient(deps, query.client);
  if (query.idNumber) admitIdNumber(deps, sha256Hex(new TextEncoder().encode(query.idNumber.toUpperCase())));
}

type Opened = Exclude<CaseState, { status: "empty" }>;
export interface MatchedCase {
  /** The view shown: the one holding the open step, else the newest. */
  shown: CaseRecord & { state: Opened };
  views: (CaseRecord & { state: Opened })[];
}

/**
 * The hosted views of the case the pair names, or undefined — the same undefined for a missing case, a
 * wrong ID number and a case whose person is not known (no person, no match). Charges the client a token.
 */
export async function findTrackedCase(deps: TrackDeps, query: TrackQuery): Promise<MatchedCase | undefined> {
  admit(deps, query);
  const reference = query.reference.trim();
  if (!reference || !query.idNumber) return undefined;
  // Both reads always run: a miss costs what a hit costs, so timing does not tell which numbers exist.
  const [byCase, byVoucher] = await Promise.all([
    deps.store.findCases({ caseId: reference }),
    deps.store.findCases({ voucherId: reference }),
  ]);
  const found = byCase.length > 0 ? byCase : byVoucher;
  const views = found
    .map((r) => ({ ...r, state: deps.decider.upgrade(r.state) }))
    .filter((r): r is CaseRecord & { state: Opened } => r.state.status !== "empty");
  const matching = views.filter((r) => r.state.person && sameIdNumber(r.state.person.idNumber, query.idNumber));
  const newest = matching.sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0))[0];
  if (!newest) return undefined;
  // Every view of that case, but never one that names another person.
  const same = views
    .filter((r) => r.caseId === newest.caseId)
    .filter((r) => !r.state.person || sameIdNumber(r.state.person.idNumber, query.idNumber));
  const holding = same.find((r) => "deadline" in r.state && r.state.deadline.owedBy === r.agencyId);
  return { shown: holding ?? newest, views: same };
}

/** What the tracking page shows of a case the pair matched. */
export async function trackCase(deps: TrackDeps, query: TrackQuery): Promise<TrackAnswer> {
  const matched = await findTrackedCase(deps, query);
  if (!matched) return { found: false };
  return { found: true, tracked: await describeTracked(deps, matched) };
}

async function describeTracked(deps: TrackDeps, matched: MatchedCase): Promise<TrackedCase> {
  const { shown, views } = matched;
  const s = shown.state;
  const histories = await Promise.all(views.map((v) => deps.store.caseEvents(v.agencyId, v.caseId)));
  const steps = mergeSteps(histories);
  const agencies = await agencyRefs(deps, shown);
  const [open] = deps.decider.openDeadlines(s, deps.clock.now());
  const priority = toPriority(s.flags.priority);
  const person = views.map((v) => v.state.person).find((p) => p !== undefined)!;
  const pending = pendingMilestones(s, steps);
  const own = await ownVoucherOf(deps, matched, person.idNumber);
  const note = await discrepancyNote(deps, shown, person);
  return {
    caseId: shown.caseId,
    status: s.status,
    person: { name: maskPersonName(person.name), idNumber: maskIdNumber(person.idNumber.toUpperCase()) },
    priority: priority?.reasonCode ?? null,
    transferIn: agencies.transferIn,
    transferOut: agencies.transferOut,
    ...(open
      ? {
          holder: agencies.named(open.owedBy),
          deadline: {
            step: open.step,
            due: open.due,
            workingDays: open.workingDays,
            startedOn: open.startedOn,
            overdue: open.overdue,
          },
        }
      : {}),
    steps,
    pending,
    current: open ? milestonesOfStep(open.step).filter((m) => pending.includes(m)) : [],
    ...(s.status === "returned" || s.status === "refused"
      ? { reason: { reasonCode: s.reasonCode, explanation: maskExplanation(s.explanation, person) } }
      : {}),
    ...(s.status === "discrepancy-raised"
      ? { discrepancy: { reasonCode: s.discrepancy.reasonCode, ...(note ? { explanation: note } : {}) } }
      : {}),
    voucher: own ? { id: own.documentId } : null,
    openedAt: s.openedAt,
    ...("closedAt" in s ? { closedAt: s.closedAt } : {}),
  };
}

/** The explanation the open discrepancy's document gives (masked), if it is stored here. */
async function discrepancyNote(deps: TrackDeps, shown: MatchedCase["shown"], person: { name: string }) {
  if (shown.state.status !== "discrepancy-raised") return undefined;
  const id = shown.state.discrepancy.documentId;
  const record = (await deps.store.caseDocuments(shown.agencyId, shown.caseId)).find((d) => d.documentId === id);
  const body = record && (documentOf<{ body?: { explanation?: unknown } }>(record).body ?? {});
  return typeof body?.explanation === "string" ? maskExplanation(body.explanation, person) : undefined;
}
