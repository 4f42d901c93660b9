import type { KeyObject } from "node:crypto";
import { createCalendar, type CalendarConfig } from "../domain/calendar/index.ts";
import { fromHex } from "../domain/bytes.ts";
import type { AppDeps } from "../http/app.ts";
import { STATUS_OF } from "../http/errors.ts";
import type { MetricsRegistry } from "../http/metrics.ts";
import {
  DEFAULT_POLICY,
  OFFLINE_DEV_POLICY,
  createRevocationStore,
  createSealVerifier,
  createTrustStore,
  formatVerifierKey,
  signNote,
  type RevocationStore,
  type SealKey,
  type TrustStore,
} from "../pki/index.ts";
import {
  DEFAULT_RETRY,
  createOutboxDispatcher,
  receiveDocument,
  type Agencies,
  type ArchiveSigner,
  type Clock,
  type DirectoryView,
  type GatewayDeps,
  type GatewayStore,
  type HostedAgency,
  type IdSource,
  type Logger,
  type Metrics,
  type DocumentPrinter,
  type OutboxDispatcher,
  type PeerLogKeys,
  type PeerTransport,
  type RetryPolicy,
  type RouteProblem,
  type SealProfile,
  type TransportOutcome,
  type WebhookSender,
} from "../usecases/index.ts";
import { createCaseDecider } from "../domain/transfer-case/index.ts";
import { DEFAULT_BODY_LIMITS } from "./config.ts";
import { outcomeOfRefusal } from "./http-outcome.ts";
import { sealerOf } from "./sealers.ts";

/** Key material and settings, already read from files (so tests and Workers can build a gateway too). */
export interface GatewayMaterials {
  agencies: { id: string; name: string; seal: SealKey; receipt: SealKey; webhook?: { url: string; secret: string } }[];
  trustAnchors: Uint8Array[];
  intermediates?: Uint8Array[];
  crls: Uint8Array[];
  revocation: "required" | "optional";
  calendar?: CalendarConfig;
  priorityTargetWorkingDays?: number;
  maxDocumentBytes: number;
  /** Bodies of /v1/verify, /v1/documents/validate, /v1/assessments; default DEFAULT_BODY_LIMITS. */
  maxUploadBytes?: number;
  /** Every other request body (acknowledgements, witnessing); default DEFAULT_BODY_LIMITS. */
  maxRequestBytes?: number;
  retry?: RetryPolicy;
  /** Ed25519 key that signs archive checkpoints, and the log's origin line. */
  archiveKey?: { privateKey: KeyObject; origin: string };
}

export interface GatewayPorts {
  store: GatewayStore;
  clock: Clock;
  ids: IdSource;
  random: () => number;
  logger: Logger;
  metrics: Metrics;
  webhooks?: WebhookSender;
  /**
   * Transport to agencies hosted elsewhere, by the directory (issue 5); hosted agencies are always
   * delivered locally. A factory receives the gateway's trust material (the directory is verified with it).
   */
  remote?: RemoteAgencies | ((trust: TrustMaterial) => RemoteAgencies);
  /** Peers' checkpoint keys pinned by the directory (issue 9 item 2): whose tree heads this gateway witnesses. */
  peerLogs?: PeerLogKeys;
  /** Lays out printed copies (PDF) of sealed documents (issue 13 item 2); absent, printing is PRINT_UNAVAILABLE. */
  printer?: DocumentPrinter;
  /** The accepted directory, shown in the console (issue 13). */
  directory?: DirectoryView;
}

export interface RemoteAgencies extends PeerTransport {
  routeProblem(agencyId: string, at: Date): RouteProblem | undefined;
  receiptCertificates(agencyId: string): string[];
  sealCertificateAccepted(agencyId: string, certificateSha256: string, at: Date): boolean;
  sealProfile(agencyId: string): SealProfile | undefined;
}

export interface TrustMaterial {
  trust: TrustStore;
  crls(): RevocationStore;
}

export interface Gateway extends TrustMaterial {
  deps: GatewayDeps;
  /** Per-peer lanes (issue 9 item 8): a hung peer holds only its own. */
  dispatcher: OutboxDispatcher;
  /** Replace the CRL set (a new generation: cached chain verdicts are not reused across it). */
  setCrls(crls: Uint8Array[]): void;
}

/** Build the use cases' dependencies from materials and ports: the part both runtimes share. */
export function buildGateway(m: GatewayMaterials, ports: GatewayPorts): Gateway {
  const trust = createTrustStore(m.trustAnchors, m.intermediates ?? []);
  let crls: RevocationStore = createRevocationStore(m.crls);
  let crlDers = m.crls;
  const verifier = createSealVerifier({
    trust,
    crls: () => crls,
    policy: m.revocation === "optional" ? OFFLINE_DEV_POLICY : DEFAULT_POLICY,
    // Issue 16: an SES seal's maker is checked against the directory's sealMakers of the agencies its signer
    // certificate binds, on every path (not only /v1/exchange, which passes the sender's own).
    makersFor: (ids) => listedSealMakers(agencies, ids),
  });
  const material: TrustMaterial = { trust, crls: () => crls };
  const remote = typeof ports.remote === "function" ? ports.remote(material) : ports.remote;
  const calendar = createCalendar(m.calendar ?? {});
  const hosted = new Map<string, HostedAgency>(m.agencies.map((a) => [a.id, toHosted(a)]));
  const agencies: Agencies = {
    hosted: (id) => hosted.get(id),
    hostedIds: () => [...hosted.keys()],
    routeProblem: (id, at) => {
      if (hosted.has(id)) return undefined;
      if (remote) return remote.routeProblem(id, at);
      return { code: "RECIPIENT_UNKNOWN", message: `agency ${id} is not hosted here and no directory is configured` };
    },
    receiptCertificates: (id) => {
      const local = hosted.get(id);
      return local ? [local.receiptKey.certificateSha256] : (remote?.receiptCertificates(id) ?? []);
    },
    // A hosted agency may seal with any certificate of the trusted PKI that binds it (its own signing
    // system included); a remote agency only with a certificate the directory lists for it.
    sealCertificateAccepted: (id, sha256, at) =>
      hosted.has(id) || (remote?.sealCertificateAccepted(id, sha256, at) ?? false),
    sealProfile: (id) => (hosted.has(id) ? undefined : remote?.sealProfile(id)),
  };
  const deps: GatewayDeps = {
    ...ports,
    agencies,
    verifier,
    transport: {
      deliver: (to, bytes) => (hosted.has(to) ? deliverLocally(deps, bytes) : deliverRemotely(remote, to, bytes)),
    },
    calendar,
    decider: createCaseDecider({ calendar, priorityTargetWorkingDays: m.priorityTargetWorkingDays ?? 5 }),
    limits: {
      maxDocumentBytes: m.maxDocumentBytes,
      maxUploadBytes: m.maxUploadBytes ?? DEFAULT_BODY_LIMITS.maxUploadBytes,
      maxRequestBytes: m.maxRequestBytes ?? DEFAULT_BODY_LIMITS.maxRequestBytes,
    },
    ...(m.archiveKey ? { archiveSigner: archiveSigner(m.archiveKey) } : {}),
    retry: m.retry ?? DEFAULT_RETRY,
    trustMaterial: () => ({ anchors: m.trustAnchors, intermediates: m.intermediates ?? [], crls: crlDers }),
  };
  const dispatcher = createOutboxDispatcher(deps);
  deps.onQueued = () => dispatcher.kick();
  return {
    deps,
    dispatcher,
    ...material,
    setCrls: (ders) => {
      crls = createRevocationStore(ders);
      crlDers = ders;
    },
  };
}

function archiveSigner(key: { privateKey: KeyObject; origin: string }): ArchiveSigner {
  const noteKey = { name: key.origin, privateKey: key.privateKey };
  return {
    origin: key.origin,
    sign: (text) => signNote(text, noteKey),
    verifierKey: formatVerifierKey(key.origin, key.privateKey),
  };
}

function toHosted(a: GatewayMaterials["agencies"][number]): HostedAgency {
  const seal = sealerOf(a.seal);
  const receipt = sealerOf(a.receipt);
  return {
    id: a.id,
    name: a.name,
    sealKey: {
      seal: (c, t) => seal.seal(c, t),
      certificateSha256: seal.certificateSha256,
      certificate: a.seal.certificate,
    },
    receiptKey: {
      seal: (c, t) => receipt.seal(c, t),
      certificateSha256: receipt.certificateSha256,
      certificate: a.receipt.certificate,
    },
    ...(a.webhook ? { webhook: a.webhook } : {}),
  };
}

/** Hub routing (issue 4 item 5): a hosted recipient gets the bytes through the same receiving pipeline. */
async function deliverLocally(deps: GatewayDeps, bytes: Uint8Array): Promise<TransportOutcome> {
  try {
    const result = await receiveDocument(deps, bytes, deps.ids.newId("local"));
    return { kind: "receipt", body: new TextEncoder().encode(result.receipt) };
  } catch (err) {
    return outcomeOfRefusal(err);
  }
}

async function deliverRemotely(
  remote: RemoteAgencies | undefined,
  to: string,
  bytes: Uint8Array,
): Promise<TransportOutcome> {
  if (!remote)
    return {
      kind: "rejected",
      status: STATUS_OF.RECIPIENT_UNKNOWN,
      code: "RECIPIENT_UNKNOWN",
      message: `no route to agency ${to}`,
    };
  return remote.deliver(to, bytes);
}

/**
 * What the HTTP app is given, the same under Node and Workers: the gateway, the version and hosted agencies,
 * where printed QR codes lead, and the console's session key when one is configured (left out, createApp makes
 * one per process, so console sessions end at restart).
 */
export function appDepsOf(
  gateway: Gateway,
  config: { publicUrl?: string; consoleSessionSecret?: string },
  metrics: MetricsRegistry,
  logger: Logger,
): AppDeps {
  const sessionSecret = config.consoleSessionSecret ? fromHex(config.consoleSessionSecret) : undefined;
  return {
    gateway: gateway.deps,
    metrics,
    logger,
    info: {
      version: "0.1.0",
      hostedAgencies: gateway.deps.agencies.hostedIds(),
      ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
    },
    ...(sessionSecret ? { sessionSecret } : {}),
  };
}

/** The sealMakers the directory lists for these agencies: one listing as it is (its trust store is cached), several joined. */
function listedSealMakers(agencies: Agencies, agencyIds: readonly string[]): readonly Uint8Array[] | undefined {
  const lists = agencyIds.flatMap((id) => {
    const makers = agencies.sealProfile(id)?.makers;
    return makers ? [makers] : [];
  });
  return lists.length <= 1 ? lists[0] : lists.flat();
}
