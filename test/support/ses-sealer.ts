import { createPrivateKey } from "node:crypto";
import { createSealer, makeSeal, type Sealer } from "../../src/pki/index.ts";
import type { Sm2Pki, Sm2TestCert } from "../fixtures/sm2-pki.ts";

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** An SES (GB/T 38540) seal for `holder`, made by `maker` (valid 2026–2030). */
export function sesSealFor(maker: Sm2TestCert, holder: Sm2TestCert, name = "测试电子印章"): Uint8Array {
  return makeSeal({
    makerKey: maker.key,
    makerCertificate: maker.der,
    holderCertificates: [holder.der],
    name,
    picture: { type: "PNG", data: PNG, widthMm: 40, heightMm: 40 },
    createdAt: new Date("2026-01-01T00:00:00Z"),
    validStart: new Date("2026-01-01T00:00:00Z"),
    validEnd: new Date("2030-01-01T00:00:00Z"),
  });
}

/** An SES sealer for `holder`, its seal made by `maker` (sesSealFor). */
export function sesSealerFor(maker: Sm2TestCert, holder: Sm2TestCert, name?: string): Sealer {
  return createSealer({
    privateKey: createPrivateKey(holder.keyPem),
    certificate: holder.der,
    sm2: holder.key,
    sesSeal: sesSealFor(maker, holder, name),
  });
}

/** An SES (GB/T 38540) sealer for `holder`, its seal made by a seal maker of `pki` (valid 2026–2030). */
export async function sesSealerOf(pki: Sm2Pki, holder: Sm2TestCert): Promise<Sealer> {
  return sesSealerFor(await pki.issueMaker(), holder);
}
