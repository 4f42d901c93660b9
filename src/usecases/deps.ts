import type { Calendar } from "../domain/calendar/index.ts";
import type { CaseDecider } from "../domain/transfer-case/index.ts";
import type {
  Agencies,
  ArchiveSigner,
  Clock,
  DirectoryView,
  DocumentPrinter,
  GatewayStore,
  IdSource,
  Logger,
  Metrics,
  PeerLogKeys,
  PeerTransport,
  SealVerifier,
  WebhookSender,
} from "./ports.ts";

/** Retry schedule for outbound deliveries (exponential backoff with full jitter, capped). */
export interface RetryPolicy {
  baseSeconds: number;
  capSeconds: number;
  /** After this long since queueing, a delivery is `failed` and shown to operators. */
  maxAgeSeconds: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseSeconds: 2, capSeconds: 300, maxAgeSeconds: 3 * 24 * 3600 };

/** Certificates and CRLs as DER, exactly as configured. */
export interface TrustBytes {
  anchors: Uint8Array[];
  intermediates: Uint8Array[];
  crls: Uint8Array[];
}

/**
 * Everything the use cases need, built once by a composition root (src/runtime). Each use case takes only
 * what it touches (`Pick<GatewayDeps, …>` with `store` narrowed to the ports of ports.ts it reads and writes
 * through, e.g. `{ store: CaseReads & Committer }`), so its signature says so; callers pass the whole.
 */
export interface GatewayDeps {
  store: GatewayStore;
  clock: Clock;
  ids: IdSource;
  /** Uniform random in [0, 1): injected so backoff jitter is reproducible in tests. */
  random: () => number;
  agencies: Agencies;
  verifier: SealVerifier;
  transport: PeerTransport;
  webhooks?: WebhookSender;
  decider: CaseDecider;
  /** The same calendar the decider counts deadlines with (reminders look 3 working days ahead). */
  calendar: Calendar;
  logger: Logger;
  metrics: Metrics;
  /** Request body limits in bytes per route class (issue 9 item 5): documents, uploads checked or verified, anything else. */
  limits: { maxDocumentBytes: number; maxUploadBytes: number; maxRequestBytes: number };
  /** The trust anchors, intermediates and CRLs (DER) seals are verified with: evidence packs ship them. */
  trustMaterial?: () => TrustBytes;
  /** Signs this gateway's archive checkpoints; absent, no checkpoints are cut. */
  archiveSigner?: ArchiveSigner;
  /** Peers' checkpoint keys as the directory pins them; absent, no checkpoint is witnessed here. */
  peerLogs?: PeerLogKeys;
  /** The accepted directory, for the console's listing and expiry warnings; absent without a directory. */
  directory?: DirectoryView;
  retry: RetryPolicy;
  /** Lays out printed copies (PDF) of sealed documents; absent, printing answers PRINT_UNAVAILABLE. */
  printer?: DocumentPrinter;
  /** Called after a commit queued deliveries, so a dispatcher can run without waiting for its timer. */
  onQueued?: () => void;
}
