import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerApplication, submitDocument } from "../../../src/usecases/index.ts";
import { createTestGateway, type TestGateway } from "../../support/gateway-harness.ts";

const example = (type: string) =>
  JSON.parse(readFileSync(new URL(`../../../schemas/examples/${type}.json`, import.meta.url), "utf8"));
const SECRET = "s3cret-s3cret-s3cret";

describe("webhooks", () => {
  let gw: TestGateway;
  const posted: { url: string; body: string; signature: string }[] = [];
  let answer = { ok: false, status: 503 };

  beforeAll(async () => {
    gw = await createTestGateway();
    const hosted = gw.deps.agencies.hosted("440000")!;
    (hosted as { webhook?: unknown }).webhook = { url: "https://agency.example/hooks", secret: SECRET };
    gw.deps.webhooks = { post: async (url, body, signature) => (posted.push({ url, body, signature }), answer) };
  });
  afterAll(async () => gw.close());

  describe("when a document arrives for an agency with a webhook", () => {
    it("posts an HMAC-signed announcement, retrying until the agency's system answers", async () => {
      const zj = gw.principal("330000");
      const letter = example("contact-letter");
      await registerApplication(gw.deps, zj, { caseId: letter.caseId, transferOutAgency: "440000" });
      await submitDocument(gw.deps, zj, letter.caseId, { type: "contact-letter", body: letter.body, id: letter.id });
      await gw.dispatcher.runOnce();
      expect(posted).toHaveLength(1);
      const first = posted[0]!;
      expect(first.signature).toBe(`sha256=${createHmac("sha256", SECRET).update(first.body).digest("hex")}`);
      expect(JSON.parse(first.body)).toMatchObject({
        event: "document.received",
        agencyId: "440000",
        data: { documentId: letter.id, caseStatus: "contact-letter-received" },
      });

      const [hook] = (await gw.deps.store.listDeliveries({ ownerAgency: "440000", limit: 10 })).filter(
        (d) => d.kind === "webhook",
      );
      expect(hook?.state).toBe("retrying");
      answer = { ok: true, status: 204 };
      gw.clock.advance(3600_000);
      await gw.dispatcher.runOnce();
      expect(posted).toHaveLength(2);
      expect(posted[1]!.body).toBe(first.body);
      expect((await gw.deps.store.getDelivery(hook!.id))?.state).toBe("delivered");
    });
  });
});
