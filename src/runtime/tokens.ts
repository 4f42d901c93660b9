import { createHash, randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import type { Principal, TokenStore } from "../usecases/index.ts";

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function newToken(): string {
  return `jx_${randomBytes(24).toString("base64url")}`;
}

/** Create a token for a principal; only its SHA-256 is stored. Returns the token (shown once). */
export async function issueToken(store: TokenStore, principal: Principal, label: string): Promise<string> {
  const token = newToken();
  await store.saveToken(hashToken(token), principal, label);
  return token;
}

/**
 * Development only: tokens for every hosted agency plus compliance and admin, written once to
 * `<dataDir>/dev-tokens.json` (mode 0600) so a developer can call the API. Re-uses the file if present.
 */
export async function ensureDevTokens(
  store: TokenStore,
  agencyIds: string[],
  file: string,
): Promise<Record<string, string>> {
  if (existsSync(file)) {
    const tokens = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
    const known = await Promise.all(Object.values(tokens).map((t) => store.principalByTokenHash(hashToken(t))));
    if (known.every(Boolean)) return tokens;
  }
  const tokens: Record<string, string> = {};
  for (const id of agencyIds)
    tokens[id] = await issueToken(
      store,
      { tokenId: `dev-${id}`, role: "agency", agencyId: id },
      `development token for ${id}`,
    );
  tokens.compliance = await issueToken(
    store,
    { tokenId: "dev-compliance", role: "compliance" },
    "development compliance token",
  );
  tokens.admin = await issueToken(store, { tokenId: "dev-admin", role: "admin" }, "development admin token");
  writeFileSync(file, JSON.stringify(tokens, null, 2) + "\n");
  chmodSync(file, 0o600);
  return tokens;
}
