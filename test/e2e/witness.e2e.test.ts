import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, waitFor } from "../../src/cli/demo/api.ts";
import { createCluster, publishWithOperatorTools, type Cluster } from "../../src/cli/demo/cluster.ts";
import type { CliIo } from "../../src/cli/io.ts";
import { formatCheckpoint } from "../../src/domain/archive/index.ts";
import { formatVerifierKey, noteKeyFromSeed, signNote, verifyNote } from "../../src/pki/note-signer.ts";
import { defaultOrigin } from "../../src/runtime/parse-materials.ts";

/**
 * Issue 9 item 2 across processes: two `jiexu serve` gateways whose directory (built with
 * `jiexu directory build --checkpoint-key`) pins each other's checkpoint keys co-sign each other's
 * tree heads on their witness timers, while an attacker's tree head under a peer's origin, signed
 * with the attacker's own key, is refused over real HTTP and leaves nothing behind.
 */
const GD = "440000";
const ZJ = "330000";
const quiet: CliIo = { out: () => undefined, err: () => undefined };

describe("cross-witnessing between gateway processes, keys pinned by the directory", () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await createCluster([GD, ZJ], { prefix: "jiexu-e2e-witness-", settings: { witnessSeconds: 1 } });
    await publishWithOperatorTools(cluster, { sequence: 1 }, quiet);
    await cluster.startAll();
  });
  afterAll(() => cluster?.close());

  const vkeyOf = (agencyId: string) => readFileSync(cluster.files[agencyId]!.checkpointVkeyPath, "utf8").trim();
  const witnessed = async (at: string, origin: string) =>
    (await api(cluster.gateways[at]!.url).get(`/v1/archive/witnessed?origin=${encodeURIComponent(origin)}`)).body
      .checkpoints as { size: number; rootHex: string }[];

  it("each gateway's checkpoint is co-signed by the other with the key the directory pins", async () => {
    for (const [origin, witness] of [
      [GD, ZJ],
      [ZJ, GD],
    ] as const) {
      await waitFor(
        async () => ((await witnessed(witness, defaultOrigin([origin]))).length ? true : undefined),
        `${witness} witnessing ${origin}`,
        20_000,
      );
      const note = await waitFor(
        async () => {
          const text = (await api(cluster.gateways[origin]!.url).get("/v1/archive/checkpoint")).text;
          return text.includes(`— ${defaultOrigin([witness])} `) ? text : undefined;
        },
        `${origin}'s checkpoint co-signed by ${witness}`,
        20_000,
      );
      expect(verifyNote(note, [vkeyOf(origin), vkeyOf(witness)]).verifiedBy.sort()).toEqual(
        [defaultOrigin([origin]), defaultOrigin([witness])].sort(),
      );
    }
  }, 120_000);

  it("refuses a fake tree head under a peer's origin with the attacker's own vkey (403) and an unknown origin (403), keeping no row (issue 9 item 2)", async () => {
    const attacker = noteKeyFromSeed(new Uint8Array(32).fill(66));
    const origin = defaultOrigin([GD]);
    const seen = await witnessed(ZJ, origin);
    const size = (seen.at(-1)?.size ?? 0) + 1000;
    const fake = signNote(formatCheckpoint({ origin, size, root: new Uint8Array(32).fill(0xee) }), {
      name: origin,
      privateKey: attacker,
    });
    const zj = api(cluster.gateways[ZJ]!.url);
    const refused = await zj.post("/v1/archive/witness", { note: fake, vkey: formatVerifierKey(origin, attacker) });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: "WITNESS_KEY_UNPINNED" });
    const stranger = signNote(formatCheckpoint({ origin: "jiexu/stranger", size: 1, root: new Uint8Array(32) }), {
      name: "jiexu/stranger",
      privateKey: attacker,
    });
    const unknown = await zj.post("/v1/archive/witness", {
      note: stranger,
      vkey: formatVerifierKey("jiexu/stranger", attacker),
    });
    expect(unknown.status).toBe(403);
    expect(unknown.body).toMatchObject({ code: "WITNESS_ORIGIN_UNKNOWN" });
    expect((await witnessed(ZJ, origin)).some((c) => c.size === size)).toBe(false);
    expect(await witnessed(ZJ, "jiexu/stranger")).toEqual([]);
  });
});
