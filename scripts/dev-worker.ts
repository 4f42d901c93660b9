/**
 * `npm run dev:worker`, step one (issue 14 item 2): provision a development gateway for local workerd —
 * a development PKI (src/dev, as the Node gateway's first run makes), its Worker config and secrets, and
 * API tokens — in `.dev.vars` (gitignored), which `wrangler dev` reads as vars and secrets. An existing
 * `.dev.vars` is kept (its PKI and tokens stay valid across runs); `--fresh` makes a new one.
 * Development only: the private keys are in that file.
 */
import { existsSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { createDevPki } from "../src/dev/pki.ts";
import { devWorkerVars, dotenvText, type DevWorkerToken } from "../src/dev/worker-vars.ts";
import { newToken } from "../src/runtime/tokens.ts";

const file = resolve(".dev.vars");

async function provision(): Promise<void> {
  if (existsSync(file) && !process.argv.includes("--fresh")) {
    console.log(`dev:worker: keeping ${file} (--fresh makes a new development PKI and tokens)`);
    return;
  }
  const pki = await createDevPki({ algorithm: "ecdsa-p256", now: new Date() });
  const tokens: DevWorkerToken[] = [
    ...pki.agencies.map((a) => ({
      token: newToken(),
      tokenId: `dev-${a.spec.id}`,
      role: "agency" as const,
      agencyId: a.spec.id,
    })),
    { token: newToken(), tokenId: "dev-compliance", role: "compliance" },
    { token: newToken(), tokenId: "dev-admin", role: "admin" },
  ];
  const vars = devWorkerVars(pki, tokens);
  writeFileSync(file, dotenvText(vars), { mode: 0o600 });
  console.log(`dev:worker: wrote ${file} (development PKI, config, checkpoint key); API tokens:`);
  for (const t of tokens) console.log(`  ${t.agencyId ?? t.role}\t${t.token}`);
}

await provision();
