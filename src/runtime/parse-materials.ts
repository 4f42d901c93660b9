import type { KeyObject } from "node:crypto";
import { parseCalendarConfig } from "../domain/calendar/index.ts";
import { decodeCrlFile, loadCertificates, loadPrivateKey, SealKeyError, SesError, type SealKey } from "../pki/index.ts";
import { DEFAULT_RETRY } from "../usecases/index.ts";
import type { GatewayMaterials } from "./compose.ts";
import { ConfigError, type AgencyConfig, type GatewayConfig, type KeyFiles } from "./config.ts";
import { sealerOf } from "./sealers.ts";

/**
 * The bytes a configuration names: a file on Node (load-config.ts), a binding or secret on Workers
 * (worker-config.ts). Throws ConfigError naming what is missing.
 */
export type ReadMaterial = (name: string) => Uint8Array;

/**
 * Every key, certificate and CRL the configuration names, parsed from bytes (issue 14 item 1): the one
 * parser both runtimes call, so a Worker and a server read the same configuration the same way.
 */
export async function materialsFromConfig(
  config: GatewayConfig,
  read: ReadMaterial,
  archivePrivateKey: KeyObject,
): Promise<GatewayMaterials> {
  const agencies = await Promise.all(
    config.agencies.map(async (a) => ({
      id: a.id,
      name: a.name,
      seal: await loadSealKey(a.seal, read),
      receipt: await loadKey(a.receipt, read),
      ...(a.webhook ? { webhook: a.webhook } : {}),
    })),
  );
  return {
    agencies,
    trustAnchors: config.trustAnchors.flatMap((p) => loadCertificates(read(p))),
    intermediates: config.intermediates.flatMap((p) => loadCertificates(read(p))),
    crls: config.crls.flatMap((p) => decodeCrlFile(read(p))),
    revocation: config.revocation,
    ...(config.calendar !== undefined ? { calendar: parseCalendarConfig(config.calendar) } : {}),
    priorityTargetWorkingDays: config.priorityTargetWorkingDays,
    maxDocumentBytes: config.maxDocumentBytes,
    maxUploadBytes: config.maxUploadBytes,
    maxRequestBytes: config.maxRequestBytes,
    archiveKey: {
      privateKey: archivePrivateKey,
      origin: config.archive.origin ?? defaultOrigin(config.agencies.map((a) => a.id)),
    },
    ...(config.retry ? { retry: { ...DEFAULT_RETRY, ...defined(config.retry) } } : {}),
  };
}

/** C2SP origins should carry no spaces or '+': the hosted agency ids joined with '-'. */
export function defaultOrigin(hostedIds: string[]): string {
  return `jiexu/gateway-${hostedIds.join("-")}`;
}

async function loadKey(files: KeyFiles, read: ReadMaterial): Promise<SealKey> {
  if ("p12" in files) {
    const k = await loadPrivateKey(read(files.p12), { password: files.password });
    if (!k.certificate) throw new ConfigError(`${files.p12} holds no certificate`);
    return withPrivateKeyOf(k, { certificate: k.certificate, chain: k.chain, ...(k.sm2 ? { sm2: k.sm2 } : {}) });
  }
  const certs = loadCertificates(read(files.cert));
  const k = await loadPrivateKey(read(files.key), {
    ...(files.password ? { password: files.password } : {}),
    certificate: certs[0]!,
  });
  return withPrivateKeyOf(k, {
    certificate: certs[0]!,
    chain: [...certs.slice(1), ...files.chain.flatMap((p) => loadCertificates(read(p)))],
    ...(k.sm2 ? { sm2: k.sm2 } : {}),
  });
}

/**
 * `privateKey` carried over as the loader defined it, never read: for an SM2 key it is a getter that builds a
 * KeyObject on first use and throws KEY_UNSUPPORTED in workerd (keys-sm2.ts), where SM2 seals by `sm2` alone.
 */
function withPrivateKeyOf(loaded: { privateKey: KeyObject }, rest: Omit<SealKey, "privateKey">): SealKey {
  const descriptor = Object.getOwnPropertyDescriptor(loaded, "privateKey")!;
  return Object.defineProperty(rest, "privateKey", descriptor) as SealKey;
}

/**
 * The document seal key; with `sesSeal`, the agency seals as SES_Signature (GB/T 38540-2020 §7): its SM2
 * key signs, its electronic seal (SESeal DER) rides in every signature. The sealer checks that the
 * certificate is a holder of the seal when it is made (compose time), so a mismatch stops start-up.
 */
async function loadSealKey(files: AgencyConfig["seal"], read: ReadMaterial): Promise<SealKey> {
  const key = await loadKey(files, read);
  if (!files.sesSeal) {
    if (key.sm2)
      throw new ConfigError(`seal.key (${keyName(files)}) is SM2: it seals as GB/T 38540, name seal.sesSeal`);
    return key;
  }
  if (!key.sm2) throw new ConfigError(`seal.sesSeal (${files.sesSeal}) needs an SM2 seal key`);
  // loadKey made `key` afresh: set the field on it (a spread would read the SM2 `privateKey` getter).
  key.sesSeal = read(files.sesSeal);
  assertSealerAccepts(key, files.sesSeal);
  return key;
}

/**
 * The sealer's own checks (the seal verifies, the certificate is a holder, the key matches) run at load; the
 * sealer made is the one compose uses (sealerOf).
 */
function assertSealerAccepts(key: SealKey, sealName: string): void {
  try {
    sealerOf(key);
  } catch (err) {
    if (err instanceof SealKeyError || err instanceof SesError)
      throw new ConfigError(`seal.sesSeal (${sealName}): ${err.message}`, { cause: err });
    throw err;
  }
}

function keyName(files: KeyFiles): string {
  return "p12" in files ? files.p12 : files.key;
}

/** The fields of a partial settings block that are set (a field left out keeps its default). */
export function defined<T extends object>(partial: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
