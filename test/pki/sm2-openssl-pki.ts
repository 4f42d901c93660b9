import { readFileSync } from "node:fs";
import { join } from "node:path";
import { opensslOk } from "../fixtures/openssl.ts";
import { writeCaConfig } from "./openssl-pki.ts";

/**
 * An SM2 seal PKI made entirely by the `openssl` binary (research note §2.4): root → issuing CA (pathlen 0) →
 * seal certificates binding 四川 510000, all signed SM3withSM2 with the standard signer ID (`-sigopt distid:…`),
 * and CRLs from `openssl ca -gencrl`. Besides, the same CA signs a seal certificate and a CRL with OpenSSL's
 * default empty signer ID — what an SM2 verifier must refuse (GB/T 35276 §5.3 fixes the ID).
 */
export const DISTID = "distid:1234567812345678";

export interface Sm2OpensslPki {
  dir: string;
  /** PEM paths. */
  root: string;
  ca: string;
  seal: { cert: string; key: string };
  revokedSeal: { cert: string; key: string };
  emptyIdSeal: { cert: string; key: string };
  crls: { root: string; ca: string; caEmptyId: string };
  der(path: string): Uint8Array;
}

export function createSm2OpensslPki(dir: string): Sm2OpensslPki {
  const cnf = writeCaConfig(dir, "510000", "sm3");
  const path = (name: string) => join(dir, name);
  const key = (name: string) => opensslOk(["genpkey", "-algorithm", "SM2", "-out", path(`${name}.key`)]);
  /** `withId`: sign (and check the request) with the standard ID, else with OpenSSL's empty default. */
  const issue = (name: string, subj: string, ext: string, issuer: string, serial: string, withId = true) => {
    const sig = withId ? ["-sigopt", DISTID] : [];
    const vfy = withId ? ["-vfyopt", DISTID] : [];
    const csr = path(`${name}.csr`);
    opensslOk(["req", "-new", "-key", path(`${name}.key`), "-sm3", ...sig, "-subj", subj, "-config", cnf, "-out", csr]);
    opensslOk([
      ...["x509", "-req", "-in", csr, "-CA", path(`${issuer}.pem`), "-CAkey", path(`${issuer}.key`)],
      ...["-set_serial", serial, "-sm3", ...sig, ...vfy, "-extfile", cnf, "-extensions", ext],
      ...["-days", "3650", "-out", path(`${name}.pem`)],
    ]);
  };

  key("root");
  opensslOk([
    ...["req", "-x509", "-new", "-key", path("root.key"), "-sm3", "-sigopt", DISTID],
    ...["-subj", "/C=CN/O=OpenSSL SM2 Interop/CN=SM2 Interop Root", "-config", cnf, "-extensions", "v3_root"],
    ...["-days", "3650", "-out", path("root.pem")],
  ]);
  key("ca");
  issue("ca", "/C=CN/O=OpenSSL SM2 Interop/CN=SM2 Interop Issuing CA", "v3_ca", "root", "0x1001");
  const sealSubject = (cn: string) => `/C=CN/O=四川省社会保险事业管理局/CN=${cn}`;
  key("seal");
  issue("seal", sealSubject("SM2 Seal 510000"), "v3_seal", "ca", "0x2001");
  key("revoked-seal");
  issue("revoked-seal", sealSubject("SM2 Revoked Seal 510000"), "v3_seal", "ca", "0x2002");
  key("empty-id-seal");
  issue("empty-id-seal", sealSubject("SM2 Empty-ID Seal 510000"), "v3_seal", "ca", "0x2003", false);

  const ca = (name: string, issuer: string, extra: string[]) =>
    opensslOk([
      "ca",
      "-config",
      cnf,
      "-name",
      name,
      "-keyfile",
      path(`${issuer}.key`),
      "-cert",
      path(`${issuer}.pem`),
      ...extra,
    ]);
  const gencrl = (name: string, issuer: string, out: string, withId = true) =>
    ca(name, issuer, ["-gencrl", "-crlexts", "crl_ext", ...(withId ? ["-sigopt", DISTID] : []), "-out", path(out)]);
  ca("ca_issuing", "ca", ["-revoke", path("revoked-seal.pem"), "-crl_reason", "keyCompromise"]);
  gencrl("ca_root", "root", "root.crl.pem");
  gencrl("ca_issuing", "ca", "ca.crl.pem");
  gencrl("ca_issuing", "ca", "ca-empty-id.crl.pem", false);

  const pair = (name: string) => ({ cert: path(`${name}.pem`), key: path(`${name}.key`) });
  return {
    dir,
    root: path("root.pem"),
    ca: path("ca.pem"),
    seal: pair("seal"),
    revokedSeal: pair("revoked-seal"),
    emptyIdSeal: pair("empty-id-seal"),
    crls: { root: path("root.crl.pem"), ca: path("ca.crl.pem"), caEmptyId: path("ca-empty-id.crl.pem") },
    der: (pem: string) => pemToDer(readFileSync(pem, "utf8")),
  };
}

function pemToDer(pem: string): Uint8Array {
  const body = pem.replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, "").replace(/\s+/g, "");
  return new Uint8Array(Buffer.from(body, "base64"));
}
