import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dispatchDelivery } from "../../../src/usecases/delivery/dispatch.ts";
import { registerApplication, submitDocument } from "../../../src/usecases/index.ts";
import type { PeerTransport } from "../../../src/usecases/index.ts";
import { createTestGateway, type TestGateway } from "../../support/gateway-harness.ts";
import { example } from "../../http/app-harness.ts";

const CASE = "CASE-330000-2026-000901";

/**
 * The `sending` mark is a claim (issue 14: on Workers every event runs its own dispatcher pass): of several
 * dispatchers holding the same due delivery, exactly one sends it; a cancelled one is never sent.
 */
describe("claiming a delivery before sending it", () => {
  let gw: TestGateway;
  let sends: number;
  beforeEach(async () => {
    gw = await createTestGateway();
    gw.deps.onQueued = () => {}; // nothing dispatches but the test
    const real = gw.deps.transport;
    sends = 0;
    gw.deps.transport = {
      deliver: (to, bytes) => {
        sends++;
        return real.deliver(to, bytes);
      },
    } satisfies PeerTransport;
    const zj = gw.principal("330000");
    await registerApplication(gw.deps, zj, { caseId: CASE, transferOutAgency: "440000" });
    await submitDocument(gw.deps, zj, CASE, {
      type: "contact-letter",
      id: "ZJ-LXH-CLAIM-1",
      body: example("contact-letter").body,
    });
  });
  afterEach(() => gw.close());

  const theDelivery = async () =>
    (await gw.deps.store.listDeliveries({ limit: 10 })).find((d) => d.documentId === "ZJ-LXH-CLAIM-1")!;

  it("sends once when two dispatchers take the same queued delivery at once, with one receipt in the archive", async () => {
    const read = await theDelivery();
    expect(read).toMatchObject({ state: "queued", attempts: 0 });
    const sizeBefore = await gw.deps.store.archive.size();
    await Promise.all([dispatchDelivery(gw.deps, read), dispatchDelivery(gw.deps, read)]);
    expect(sends).toBe(1);
    expect(await theDelivery()).toMatchObject({ state: "delivered", attempts: 1 });
    // A stale copy of the record later is refused too: the row has moved on.
    await dispatchDelivery(gw.deps, read);
    expect(sends).toBe(1);
    // One receipt leaf for the sender's copy, not two.
    const leaves = await gw.deps.store.archive.leaves(sizeBefore, 100);
    const receipts = leaves.filter((l) => l.kind === "receipt" && l.ownerAgency === "330000");
    expect(receipts.map((l) => l.documentId)).toEqual(["ZJ-LXH-CLAIM-1"]);
  });

  it("does not send a delivery cancelled after it was read", async () => {
    const read = await theDelivery();
    await gw.deps.store.commit({
      deliveryUpdates: [{ id: read.id, state: "cancelled", updatedAt: gw.clock.now().toISOString() }],
    });
    await dispatchDelivery(gw.deps, read);
    expect(sends).toBe(0);
    expect(await theDelivery()).toMatchObject({ state: "cancelled", attempts: 0 });
  });
});
