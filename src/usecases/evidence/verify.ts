import { ArchiveError, parseCheckpoint, parseNote, toHex, type Checkpoint } from "../../domain/archive/index.ts";
import {
  DEFAULT_POLICY,
  OFFLINE_DEV_POLICY,
  certInfo,
  createRevocationStore,
  createSealVerifier,
  createTrustStore,
  parseVerifierKey,
  verifyNote,
} from "../../pki/index.ts";
import { sha256Hex } from "../canonical.ts";
import { GatewayError } from "../errors.ts";
import { checkChain } from "./chain.ts";
import { CheckList, type PackReport } from "./checks.ts";
import { checkCompleteness } from "./completeness.ts";
import { checkItem, type ItemContext, type OpenedItem } from "./item.ts";
import { LOCAL_PACK_LIMITS, unzipBounded, type UnzipLimits } from "./unzip.ts";
import { PACK_FORMAT, PACK_VERSION, type PackManifest } from "./format.ts";

export type { PackCheck, PackCheckCode, PackReport } from "./checks.ts";

export interface VerifyPackOptions {
  /** Trust anchors (DER) of the verifier's own choosing; without them the pack's own anchors are used (and reported). */
  trustAnchors?: Uint8Array[];
  /**
   * Trust anchors (DER) for the makers (制章者) of SES seals (GB/T 38540), e.g. the directory's sealMakers;
   * without them a maker must chain to the trust anchors and carry urn:jiexu:seal-maker (docs/national-seal.md).
   */
  makerTrust?: Uint8Array[];
  /** The gateway's checkpoint verifier key, obtained independently; without it the pack's key is used (and reported). */
  verifierKey?: string;
  /** Bounds on unzipping (entries, inflated bytes): past them EVIDENCE_PACK_TOO_LARGE is thrown. */
  limits?: UnzipLimits;
  /** Called after each item, for progress on large packs. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Offline verification of an evidence pack (issue 6 item 5): bytes in, report out — no database, no
 * network, no clock (every seal is validated at its archive time, which the log inclusion attests).
 * Re-verifies every seal, every entry and inclusion proof, the checkpoint signature, the case's
 * document chain and its completeness (the case index and the export statement, completeness.ts);
 * `ok` only when every check holds.
 */
export function verifyEvidencePack(zip: Uint8Array, options: VerifyPackOptions = {}): PackReport {
  const list = new CheckList();
  const base = {
    trust: options.trustAnchors ? "supplied" : "pack",
    key: options.verifierKey ? "supplied" : "pack",
    items: 0,
  } as const;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipBounded(zip, options.limits ?? LOCAL_PACK_LIMITS);
  } catch (err) {
    if (err instanceof GatewayError) throw err;
    list.fail("pack", "PACK_UNREADABLE", `not a ZIP archive: ${(err as Error).message}`);
    return { ok: false, ...base, checks: list.checks };
  }
  const manifest = readManifest(files, list);
  if (!manifest) return { ok: false, ...base, checks: list.checks };
  const head = {
    ...base,
    caseId: manifest.caseId,
    agencyId: manifest.agencyId,
    generatedAt: manifest.generatedAt,
    items: manifest.items.length,
  };

  checkMaterialFiles(files, manifest, list);
  const checkpoint = checkCheckpoint(files, manifest, options.verifierKey, list);
  const ctx: ItemContext = {
    files,
    list,
    verifier: sealVerifier(files, manifest, options, list),
    checkpoint,
  };
  const opened: OpenedItem[] = [];
  manifest.items.forEach((item, i) => {
    const o = checkItem(ctx, item);
    if (o) opened.push(o);
    options.onProgress?.(i + 1, manifest.items.length);
  });
  checkChain(manifest, opened, list);
  checkCompleteness(ctx, manifest, verifierKeyOf(files, manifest, options.verifierKey));
  const cp = checkpoint && { size: checkpoint.size, rootHex: toHex(checkpoint.root), origin: checkpoint.origin };
  return { ok: !list.failed(), ...head, ...(cp ? { checkpoint: cp } : {}), checks: list.checks };
}

function readManifest(files: Record<string, Uint8Array>, list: CheckList): PackManifest | undefined {
  const bytes = files["manifest.json"];
  if (!bytes) {
    list.fail("pack", "FILE_MISSING", "the pack holds no manifest.json");
    return undefined;
  }
  let m: PackManifest;
  try {
    m = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)) as PackManifest;
  } catch (err) {
    list.fail("pack", "MANIFEST_INVALID", `manifest.json is not JSON: ${(err as Error).message}`);
    return undefined;
  }
  // Version 1 (no case index) is read and checked, then failed as COMPLETENESS_UNPROVEN: refusing it
  // outright would hide what else is wrong, accepting it would let a downgrade hide a removed item.
  const shaped =
    m &&
    m.format === PACK_FORMAT &&
    (m.version === PACK_VERSION || (m.version as number) === 1) &&
    typeof m.caseId === "string" &&
    Array.isArray(m.items) &&
    Array.isArray(m.certificates) &&
    Array.isArray(m.crls) &&
    typeof m.checkpoint?.path === "string" &&
    typeof m.verifierKey?.path === "string";
  if (!shaped) {
    list.fail("pack", "MANIFEST_INVALID", `manifest.json is not a ${PACK_FORMAT} version ${PACK_VERSION} manifest`);
    return undefined;
  }
  return m;
}

/** Every certificate and CRL file is there and has the digest the manifest names. */
function checkMaterialFiles(files: Record<string, Uint8Array>, m: PackManifest, list: CheckList): void {
  for (const [kind, entries, code] of [
    ["certificate", m.certificates, "CERTIFICATE_MISMATCH"],
    ["CRL", m.crls, "CRL_MISMATCH"],
  ] as const) {
    for (const e of entries) {
      const bytes = files[e.path];
      if (!bytes) list.fail("trust", "FILE_MISSING", `${kind} ${e.path} is missing`);
      else if (sha256Hex(bytes) !== e.sha256)
        list.fail("trust", code, `${kind} ${e.path}: SHA-256 ${sha256Hex(bytes)}, manifest says ${e.sha256}`);
    }
  }
}

/**
 * The seal verifier over the pack's (or the supplied) anchors and the pack's other certificates. A
 * certificate that does not parse is left out and reported by file (issue 9 item 6) — never a reason
 * to drop the others: an embedded one (kept as the seal carried it) is a warning, since the seal
 * that needs it fails on its own; an anchor or intermediate (the gateway's own material) a failure.
 */
function sealVerifier(
  files: Record<string, Uint8Array>,
  m: PackManifest,
  options: Pick<VerifyPackOptions, "trustAnchors" | "makerTrust">,
  list: CheckList,
) {
  const supplied = options.trustAnchors;
  const usable = (der: Uint8Array, name: string, role: string): Uint8Array[] => {
    try {
      certInfo(der);
      return [der];
    } catch (err) {
      const report = role === "embedded" ? list.warn.bind(list) : list.fail.bind(list);
      report(
        "trust",
        "CERTIFICATE_UNPARSABLE",
        `${name} (${role}) does not parse and is left out; the other certificates are used: ${(err as Error).message}`,
      );
      return [];
    }
  };
  const of = (role: string) =>
    m.certificates.filter((c) => c.role === role && files[c.path]).flatMap((c) => usable(files[c.path]!, c.path, role));
  if (!supplied)
    list.warn(
      "trust",
      "TRUST_FROM_PACK",
      "trust anchors taken from the pack itself: pass --trust with the national root to check against your own",
    );
  const anchors = supplied
    ? supplied.flatMap((der, i) => usable(der, `supplied trust anchor #${i + 1}`, "anchor"))
    : of("anchor");
  const others = [...of("intermediate"), ...of("embedded")];
  const crls = createRevocationStore(m.crls.filter((c) => files[c.path]).map((c) => files[c.path]!));
  const optional = m.policy?.revocation === "optional";
  if (optional)
    list.warn(
      "trust",
      "REVOCATION_OPTIONAL",
      `the gateway ran with revocation checking optional (policy ${m.policy.name}); seals are checked the same way`,
    );
  return createSealVerifier({
    trust: createTrustStore(anchors, others),
    crls: () => crls,
    policy: optional ? OFFLINE_DEV_POLICY : DEFAULT_POLICY,
    ...(options.makerTrust ? { makerTrust: createTrustStore(makerAnchors(options.makerTrust, usable), []) } : {}),
  });
}

/** The supplied seal-maker anchors that parse (as a maker's chain is built from its anchors alone). */
function makerAnchors(
  supplied: Uint8Array[],
  usable: (der: Uint8Array, name: string, role: string) => Uint8Array[],
): Uint8Array[] {
  return supplied.flatMap((der, i) => usable(der, `supplied seal-maker anchor #${i + 1}`, "anchor"));
}

/** The key checkpoint and statement are verified with: the supplied one, else the pack's own. */
function verifierKeyOf(
  files: Record<string, Uint8Array>,
  m: PackManifest,
  supplied: string | undefined,
): string | undefined {
  const packKey = files[m.verifierKey.path] && new TextDecoder().decode(files[m.verifierKey.path]).trim();
  return supplied?.trim() ?? packKey;
}

/** The checkpoint note verifies with the key and says what the manifest says; returns its body for the proofs. */
function checkCheckpoint(
  files: Record<string, Uint8Array>,
  m: PackManifest,
  suppliedKey: string | undefined,
  list: CheckList,
): Checkpoint | undefined {
  const note = files[m.checkpoint.path];
  const packKey = files[m.verifierKey.path] && new TextDecoder().decode(files[m.verifierKey.path]).trim();
  const vkey = verifierKeyOf(files, m, suppliedKey);
  if (!note) {
    list.fail("checkpoint", "FILE_MISSING", `${m.checkpoint.path} is missing`);
    return undefined;
  }
  let body: Checkpoint;
  try {
    body = parseCheckpoint(parseNote(note).text);
  } catch (err) {
    list.fail("checkpoint", "CHECKPOINT_MALFORMED", `${m.checkpoint.path}: ${(err as Error).message}`);
    return undefined;
  }
  if (!suppliedKey)
    list.warn(
      "checkpoint",
      "KEY_FROM_PACK",
      "checkpoint key taken from the pack itself: pass --key with the gateway's published key to check against your own",
    );
  if (suppliedKey && packKey && packKey !== suppliedKey.trim())
    list.warn(
      "checkpoint",
      "KEY_FROM_PACK",
      "the pack's checkpoint.vkey differs from the key supplied; the supplied key is used",
    );
  let keyName = "?";
  try {
    if (!vkey) throw new ArchiveError("ARCHIVE_KEY_MALFORMED", `${m.verifierKey.path} is missing`);
    keyName = parseVerifierKey(vkey).name;
    verifyNote(note, [vkey]);
    list.pass("checkpoint", "CHECKPOINT_OK", `tree size ${body.size}, root ${toHex(body.root)}, signed by ${keyName}`);
  } catch (err) {
    const code = (err as ArchiveError).code;
    if (code === "ARCHIVE_NOTE_UNVERIFIED")
      list.fail(
        "checkpoint",
        "CHECKPOINT_UNKNOWN_KEY",
        `signed by an unknown key: no signature of ${keyName} on the checkpoint`,
      );
    else if (code === "ARCHIVE_SIGNATURE_INVALID")
      list.fail("checkpoint", "CHECKPOINT_SIGNATURE_INVALID", `the signature of ${keyName} does not verify`);
    else if (code === "ARCHIVE_NOTE_MALFORMED") list.fail("checkpoint", "CHECKPOINT_MALFORMED", (err as Error).message);
    else list.fail("checkpoint", "KEY_MALFORMED", `unusable verifier key: ${(err as Error).message}`);
  }
  const rootHex = toHex(body.root);
  if (body.size !== m.checkpoint.size || rootHex !== m.checkpoint.rootHex || body.origin !== m.checkpoint.origin) {
    list.fail(
      "checkpoint",
      "CHECKPOINT_MISMATCH",
      `the note says ${body.origin} size ${body.size} root ${rootHex}; the manifest says ${m.checkpoint.origin} size ${m.checkpoint.size} root ${m.checkpoint.rootHex}`,
    );
  }
  return body;
}
