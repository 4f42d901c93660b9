import { env } from "cloudflare:test";
import { rfc6962Hasher } from "../../src/pki/merkle-hasher.ts";
import { createD1Store } from "../../src/storage/d1-store.ts";
import { emptyD1 } from "./d1-fixtures.ts";
import { describeStoreContract } from "./store-contract.ts";

/** The same contract suite as the SQLite stores (store-contract.test.ts), on D1 inside workerd. */
describeStoreContract("D1, one batch per change (workerd)", async () => {
  await emptyD1();
  return { store: createD1Store(env.DB, { archiveHasher: rfc6962Hasher }), dispose: async () => {} };
});
