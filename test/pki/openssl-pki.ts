import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { opensslOk } from "../fixtures/openssl.ts";

/**
 * A seal PKI made entirely by the `openssl` binary (so no byte of it comes from this repo):
 * root → issuing CA (pathlen 0) → seal certificates with keyUsage digitalSignature,nonRepudiation
 * (critical) and SAN URI urn:jiexu:agency:440000, plus one CRL per CA from `openssl ca -gencrl`,
 * the issuing CA's listing a revoked seal certificate with a reason.
 */
export interface OpensslPki {
  dir: string;
  root: string;
  ca: string;
  seal: { cert: string; key: string };
  rsaSeal: { cert: string; key: string };
  revokedSeal: { cert: string; key: string };
  crls: { root: string; ca: string };
}

/**
 * The `openssl ca` configuration of a root → issuing CA → seal PKI in `dir` (seal SAN URI for `agency`, CRLs
 * and certificates hashed with `md`), with the CA databases it names; returns the configuration's path.
 */
export function writeCaConfig(dir: string, agency: string, md: string): string {
  const cnf = join(dir, "openssl.cnf");
  writeFileSync(cnf, config(dir, agency, md));
  for (const name of ["root", "ca"]) {
    writeFileSync(join(dir, `${name}-index.txt`), "");
    writeFileSync(join(dir, `${name}-crlnumber`), "01\n");
  }
  return cnf;
}

const config = (dir: string, agency: string, md: string) => `
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[v3_root]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[v3_ca]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[v3_seal]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
subjectAltName = URI:urn:jiexu:agency:${agency}
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[crl_ext]
authorityKeyIdentifier = keyid:always
[ca_root]
database = ${dir}/root-index.txt
crlnumber = ${dir}/root-crlnumber
default_md = ${md}
default_crl_days = 30
[ca_issuing]
database = ${dir}/ca-index.txt
crlnumber = ${dir}/ca-crlnumber
default_md = ${md}
default_crl_days = 30
`;

export function createOpensslPki(dir: string): OpensslPki {
  const cnf = writeCaConfig(dir, "440000", "sha256");
  const path = (name: string) => join(dir, name);
  const ecKey = (name: string) =>
    opensslOk(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path(`${name}.key`)]);
  const rsaKey = (name: string) =>
    opensslOk(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", path(`${name}.key`)]);
  const issue = (name: string, subj: string, ext: string, issuer: string, serial: string) => {
    opensslOk(["req", "-new", "-key", path(`${name}.key`), "-subj", subj, "-config", cnf, "-out", path(`${name}.csr`)]);
    opensslOk([
      "x509",
      "-req",
      "-in",
      path(`${name}.csr`),
      "-CA",
      path(`${issuer}.pem`),
      "-CAkey",
      path(`${issuer}.key`),
      "-set_serial",
      serial,
      "-extfile",
      cnf,
      "-extensions",
      ext,
      "-days",
      "3650",
      "-sha256",
      "-out",
      path(`${name}.pem`),
    ]);
  };

  ecKey("root");
  opensslOk([
    "req",
    "-x509",
    "-new",
    "-key",
    path("root.key"),
    "-subj",
    "/C=CN/O=OpenSSL Interop/CN=Interop National Root",
    "-config",
    cnf,
    "-extensions",
    "v3_root",
    "-days",
    "3650",
    "-sha256",
    "-out",
    path("root.pem"),
  ]);
  ecKey("ca");
  issue("ca", "/C=CN/O=OpenSSL Interop/CN=Interop Issuing CA", "v3_ca", "root", "0x1001");
  ecKey("seal");
  issue("seal", "/C=CN/O=Guangdong Social Insurance/CN=Seal 440000", "v3_seal", "ca", "0x2001");
  rsaKey("rsa-seal");
  issue("rsa-seal", "/C=CN/O=Guangdong Social Insurance/CN=RSA Seal 440000", "v3_seal", "ca", "0x2002");
  ecKey("revoked-seal");
  issue("revoked-seal", "/C=CN/O=Guangdong Social Insurance/CN=Revoked Seal 440000", "v3_seal", "ca", "0x2003");

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
  ca("ca_issuing", "ca", ["-revoke", path("revoked-seal.pem"), "-crl_reason", "keyCompromise"]);
  ca("ca_root", "root", ["-gencrl", "-crlexts", "crl_ext", "-out", path("root.crl.pem")]);
  ca("ca_issuing", "ca", ["-gencrl", "-crlexts", "crl_ext", "-out", path("ca.crl.pem")]);

  return {
    dir,
    root: path("root.pem"),
    ca: path("ca.pem"),
    seal: { cert: path("seal.pem"), key: path("seal.key") },
    rsaSeal: { cert: path("rsa-seal.pem"), key: path("rsa-seal.key") },
    revokedSeal: { cert: path("revoked-seal.pem"), key: path("revoked-seal.key") },
    crls: { root: path("root.crl.pem"), ca: path("ca.crl.pem") },
  };
}
