import { describe, expect, it } from "vitest";
import type { CaseState } from "../../src/domain/transfer-case/index.ts";
import type { DeliveryRecord, GatewayStore, RemindCursor } from "../../src/usecases/ports.ts";
import type { StoreError } from "../../src/usecases/store-error.ts";
import { AGENCY, decode, document, event, keyOf, PEER, state, step } from "./store-contract-changes.ts";

const AT = "2026-03-02T08:00:00.000Z";

function delivery(id: string, state: DeliveryRecord["state"], nextAttemptAt = AT): DeliveryRecord {
  const target = "https://example.invalid/hook";
  return {
    id,
    kind: "webhook",
    ownerAgency: AGENCY,
    target,
    state,
    attempts: 0,
    nextAttemptAt,
    createdAt: AT,
    updatedAt: AT,
  };
}

/** An open case (a deadline) written at `at`, as a case write of the use cases would, or as `change` says. */
function reminderWrite(
  store: GatewayStore,
  caseId: string,
  expectedVersion: number,
  at: string,
  change: { state?: CaseState; remindAt?: string | null } = {},
) {
  const open = Object.assign(state(caseId, "contact-letter-sent"), {
    deadline: { step: "s", owedBy: PEER, due: "2026-03-20" },
  });
  const { state: written = open, ...rest } = change;
  return store.commit({
    caseWrite: { agencyId: AGENCY, caseId, expectedVersion, state: written, events: [event(caseId, "E")], at, ...rest },
  });
}

/**
 * The ports beyond atomicity and ordering (store-contract.ts), on every store: the statements with named
 * parameters (document and delivery updates, reminders — which D1 binds as numbered ones), tokens, the queues
 * and the archive's reads. `current()` is the store of the running test.
 */
export function describePortRoundTrips(current: () => GatewayStore): void {
  describe("port round trips", () => {
    it("updates only the document fields a change names, and acknowledges a document once", async () => {
      const store = current();
      await store.commit({ newDocuments: [{ ...document("doc-u", "case-u", "u"), receipt: "r-1" }] });
      await store.commit({
        documentUpdates: [{ key: keyOf("doc-u"), state: "acknowledged", businessReceiptId: "br-1" }],
      });
      const updated = await store.getDocument(keyOf("doc-u"));
      expect(updated).toMatchObject({ state: "acknowledged", receipt: "r-1", businessReceiptId: "br-1" });
      const second = store.commit({ documentUpdates: [{ key: keyOf("doc-u"), businessReceiptId: "br-2" }] });
      expect(((await second.catch((e: unknown) => e)) as StoreError).code).toBe("VERSION_CONFLICT");
      expect(await store.getDocument(keyOf("doc-u"))).toMatchObject({ businessReceiptId: "br-1" });
    });

    it("keeps deliveries, applies partial updates (clearing last_error only on null) and serves the queues", async () => {
      const store = current();
      const later = "2026-03-02T09:00:00.000Z";
      await store.commit({
        newDeliveries: [delivery("d-1", "queued"), delivery("d-2", "retrying", later), delivery("d-3", "delivered")],
      });
      const update = { id: "d-1", state: "retrying" as const, attempts: 1, lastError: "ECONNREFUSED", updatedAt: AT };
      await store.commit({ deliveryUpdates: [{ ...update, nextAttemptAt: "2026-03-02T08:01:00.000Z" }] });
      await store.commit({ deliveryUpdates: [{ id: "d-1", state: "sending", updatedAt: AT }] });
      expect(await store.getDelivery("d-1")).toMatchObject({
        state: "sending",
        attempts: 1,
        lastError: "ECONNREFUSED",
      });
      await store.commit({ deliveryUpdates: [{ id: "d-1", state: "retrying", lastError: null, updatedAt: AT }] });
      expect(await store.getDelivery("d-1")).not.toHaveProperty("lastError");
      expect((await store.dueDeliveries("2026-03-02T08:30:00.000Z", 10)).map((d) => d.id)).toEqual(["d-1"]);
      expect((await store.dueDeliveries(later, 10)).map((d) => d.id)).toEqual(["d-1", "d-2"]);
      expect(await store.outboxDepth()).toBe(2);
      const listed = await store.listDeliveries({ ownerAgency: AGENCY, state: "delivered", limit: 10 });
      expect(listed.map((d) => d.id)).toEqual(["d-3"]);
    });

    it("keeps each open case's next reminder look: due at its first write, moved by a visit at its version only", async () => {
      const store = current();
      const [later, latest] = ["2026-03-09T16:00:00.000Z", "2026-03-10T16:00:00.000Z"];
      const due = async (dueBy: string, after?: RemindCursor) =>
        (await store.casesToRemind({ dueBy, limit: 10, ...(after ? { after } : {}) })).map((c) => [
          c.caseId,
          c.remindAt,
        ]);
      await reminderWrite(store, "case-rb", 0, AT);
      await reminderWrite(store, "case-ra", 0, AT);
      await reminderWrite(store, "case-rz", 0, AT, { state: state("case-rz", "completed") });
      expect(await due("2026-03-02T07:59:59.999Z")).toEqual([]);
      expect(await due(AT)).toEqual([
        ["case-ra", AT],
        ["case-rb", AT],
      ]);
      expect(await due(AT, { remindAt: AT, agencyId: AGENCY, caseId: "case-ra" })).toEqual([["case-rb", AT]]);

      await store.commit({ reminderVisits: [{ agencyId: AGENCY, caseId: "case-ra", version: 1, remindAt: later }] });
      // Stale (the case is at version 1): applies to nothing, and is no error.
      await store.commit({ reminderVisits: [{ agencyId: AGENCY, caseId: "case-rb", version: 0, remindAt: null }] });
      expect(await due(AT)).toEqual([["case-rb", AT]]);
      expect(await due(latest)).toEqual([
        ["case-rb", AT],
        ["case-ra", later],
      ]);

      // A write that schedules nothing keeps the look; one that does moves it; closing takes the case out.
      await reminderWrite(store, "case-ra", 1, latest);
      expect(await due(latest)).toEqual([
        ["case-rb", AT],
        ["case-ra", later],
      ]);
      await reminderWrite(store, "case-ra", 2, latest, { remindAt: latest });
      await store.commit({
        reminderVisits: [{ agencyId: AGENCY, caseId: "case-rb", version: 1, remindAt: "9999-12-31T00:00:00.000Z" }],
      });
      expect(await due("2099-01-01T00:00:00.000Z")).toEqual([["case-ra", latest]]);
      await reminderWrite(store, "case-ra", 3, latest, { state: state("case-ra", "completed"), remindAt: null });
      expect(await due("2099-01-01T00:00:00.000Z")).toEqual([]);
    });

    it("finds, by status, the open cases no look has scheduled, and none that is closed", async () => {
      const store = current();
      await reminderWrite(store, "case-u2", 0, AT, { remindAt: null });
      await reminderWrite(store, "case-u1", 0, AT, { remindAt: null });
      await reminderWrite(store, "case-u3", 0, AT);
      await reminderWrite(store, "case-uz", 0, AT, { state: state("case-uz", "completed") });
      const unscheduled = async (status: string, after?: string) =>
        (
          await store.unscheduledCases({
            status,
            limit: 10,
            ...(after ? { after: { agencyId: AGENCY, caseId: after } } : {}),
          })
        ).map((c) => c.caseId);
      expect(await unscheduled("contact-letter-sent")).toEqual(["case-u1", "case-u2"]);
      expect(await unscheduled("contact-letter-sent", "case-u1")).toEqual(["case-u2"]);
      expect(await unscheduled("application-registered")).toEqual([]);
    });

    it("records a reminder once, and resolves principals by token hash (a re-saved token replaces)", async () => {
      const store = current();
      const reminder = { agencyId: AGENCY, caseId: "case-r", step: "s", kind: "overdue" as const, due: AT, sentAt: AT };
      await store.commit({ reminders: [reminder] });
      await store.commit({ reminders: [reminder] });
      expect(await store.sentReminders(AGENCY, "case-r")).toEqual([reminder]);
      await store.saveToken("h".repeat(64), { tokenId: "tok-1", role: "agency", agencyId: PEER }, "广东 console");
      expect(await store.principalByTokenHash("h".repeat(64))).toEqual({
        tokenId: "tok-1",
        role: "agency",
        agencyId: PEER,
      });
      await store.saveToken("h".repeat(64), { tokenId: "tok-2", role: "admin" }, "rotated");
      expect(await store.principalByTokenHash("h".repeat(64))).toEqual({ tokenId: "tok-2", role: "admin" });
      expect(await store.principalByTokenHash("0".repeat(64))).toBeUndefined();
    });

    it("serves the inbox after a cursor and the documents still waiting for a business receipt", async () => {
      const store = current();
      const done = await store.commit({
        newDocuments: ["i1", "i2", "i3"].map((t) => document(`doc-${t}`, "case-i", t)),
      });
      await store.commit({
        documentUpdates: [{ key: keyOf("doc-i2"), state: "acknowledged", businessReceiptId: "br" }],
      });
      const after = await store.inbox(AGENCY, done.documentSeqs[0]!, 10);
      expect(after.map((d) => d.documentId)).toEqual(["doc-i2", "doc-i3"]);
      expect((await store.pendingInbox(AGENCY, 10)).map((d) => d.documentId)).toEqual(["doc-i1", "doc-i3"]);
    });

    it("reads the archive back: nodes, a leaf by hash, a case's leaves, checkpoints and peers' checkpoints", async () => {
      const store = current();
      const first = await store.commit(step("case-a", 0, "a1"));
      await store.commit(step("case-a", 1, "a2"));
      const size = await store.archive.size();
      const leaf = (await store.archive.leaf(first.archiveIndexes[0]!))!;
      expect(decode(leaf.entry)).toBe("leaf-a1");
      expect((await store.archive.leafByHash(leaf.leafHash))?.index).toBe(leaf.index);
      const mine = await store.archive.caseLeaves(AGENCY, "case-a");
      expect(mine.filter((l) => l.kind === "document").map((l) => decode(l.entry))).toEqual(["leaf-a1", "leaf-a2"]);
      const [node] = await store.archive.nodes([{ level: 0, index: leaf.index }]);
      expect(node).toEqual(leaf.leafHash);
      const checkpoint = { size, rootHex: "ab".repeat(32), note: "note-1", at: AT };
      await store.commit({ checkpoint, peerCheckpoint: { ...checkpoint, origin: "peer.example", receivedAt: AT } });
      await store.commit({ checkpointNotes: [{ size, note: "note-2" }] });
      expect(await store.archive.latestCheckpoint()).toEqual({ ...checkpoint, note: "note-2" });
      expect(await store.archive.checkpoints()).toHaveLength(1);
      expect((await store.archive.peerCheckpoints("peer.example")).map((c) => c.size)).toEqual([size]);
      expect(await store.archive.leaf(size + 5)).toBeUndefined();
    });
  });
}
