import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CaseState } from "../../src/domain/transfer-case/index.ts";
import type { GatewayStore, StateChange } from "../../src/usecases/ports.ts";
import { StoreError } from "../../src/usecases/store-error.ts";
import { instant, signerReport } from "./report-fixtures.ts";
import { describePortRoundTrips } from "./store-contract-ports.ts";
import { AGENCY, decode, document, keyOf, PEER, state, step } from "./store-contract-changes.ts";

/**
 * The GatewayStore contract (issue 12 acceptance), run against every store implementation: the in-process
 * SQLite store, the SQLite store committing through the writer thread, and D1 inside workerd (d1-store.workers.test.ts, issue 14). It speaks
 * only the port — commits and reads — so any store can run it:
 * - atomicity: a refused change (a stale guarded version, a duplicate document) leaves no row of any of its
 *   parts — documents, case, events, audit, deliveries, archive leaves — and refuses with its coded StoreError;
 * - ordering under concurrent submitters: every acknowledged change is readable once acknowledged, a
 *   submitter's document seqs and archive indexes strictly increase in acknowledgement order, the archive
 *   has no gaps, guarded versions serialise, and a race on one document key or case version has one winner.
 */
export type StoreFactory = () => Promise<{ store: GatewayStore; dispose: () => Promise<void> }>;

/** The code of a refused commit (fails the test if it was accepted or refused without a StoreError). */
async function refusal(commit: Promise<unknown>): Promise<string> {
  const error = await commit.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoreError);
  return (error as StoreError).code;
}

/** Asserts that nothing of the change tagged `tag` is stored, whatever part of it the store reached. */
async function expectNothingOf(store: GatewayStore, tag: string, documentId = `doc-${tag}`): Promise<void> {
  const document = await store.getDocument(keyOf(documentId));
  if (document) expect(decode(document.canonical)).not.toContain(`"tag":"${tag}"`);
  expect(await store.getDelivery(`dlv-${tag}`)).toBeUndefined();
  expect(await store.auditEvents({ kind: `audit-${tag}`, limit: 10 })).toEqual([]);
  const leaves = await store.archive.leaves(0, 100_000);
  expect(leaves.filter((l) => decode(l.entry) === `leaf-${tag}`)).toEqual([]);
}

/** Every case event of `caseId` in order, as `Event-<tag>` types. */
async function eventTypes(store: GatewayStore, caseId: string): Promise<string[]> {
  return (await store.caseEvents(AGENCY, caseId)).map((e) => e.event.type);
}

export function describeStoreContract(name: string, makeStore: StoreFactory): void {
  describe(`GatewayStore contract: ${name}`, () => {
    let store: GatewayStore;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ store, dispose } = await makeStore());
    });
    afterEach(async () => dispose());
    describePortRoundTrips(() => store);

    describe("atomicity", () => {
      it("a change on a stale case version leaves no row of any of its parts", async () => {
        await store.commit(step("case-1", 0, "first"));
        const sizeBefore = await store.archive.size();
        // Stale insert (the case exists) and stale update (version 1 is current, not 4).
        expect(await refusal(store.commit(step("case-1", 0, "stale-insert")))).toBe("VERSION_CONFLICT");
        expect(await refusal(store.commit(step("case-1", 4, "stale-update")))).toBe("VERSION_CONFLICT");
        for (const tag of ["stale-insert", "stale-update"]) {
          expect(await store.getDocument(keyOf(`doc-${tag}`))).toBeUndefined();
          await expectNothingOf(store, tag);
        }
        expect(await store.getCase(AGENCY, "case-1")).toMatchObject({
          version: 1,
          state: state("case-1", "status-first"),
        });
        expect(await eventTypes(store, "case-1")).toEqual(["Event-first"]);
        expect(await store.archive.size()).toBe(sizeBefore);
      });

      it("a change with a duplicate document leaves no row of any of its parts, not even its new case", async () => {
        await store.commit(step("case-1", 0, "first", "doc-same"));
        const sizeBefore = await store.archive.size();
        expect(await refusal(store.commit(step("case-2", 0, "dup", "doc-same")))).toBe("DUPLICATE_DOCUMENT");
        await expectNothingOf(store, "dup", "doc-same");
        expect(await store.getCase(AGENCY, "case-2")).toBeUndefined();
        expect(await store.caseEvents(AGENCY, "case-2")).toEqual([]);
        expect(await store.caseDocuments(AGENCY, "case-2")).toEqual([]);
        expect(await store.inboundDocuments(AGENCY, "doc-same")).toHaveLength(1);
        expect(await store.archive.size()).toBe(sizeBefore);
      });

      it("a refused change among concurrent accepted ones takes nothing with it, and nothing from them", async () => {
        await store.commit(step("case-0", 0, "base", "doc-taken"));
        const tags = Array.from({ length: 9 }, (_, i) => `c${i}`);
        const results = await Promise.allSettled(
          tags.map((tag, i) =>
            store.commit(i % 3 === 1 ? step(`case-${tag}`, 0, tag, "doc-taken") : step(`case-${tag}`, 0, tag)),
          ),
        );
        for (const [i, tag] of tags.entries()) {
          if (i % 3 === 1) {
            expect(results[i]!.status).toBe("rejected");
            await expectNothingOf(store, tag, "doc-taken");
            expect(await store.getCase(AGENCY, `case-${tag}`)).toBeUndefined();
          } else {
            expect(results[i]!.status).toBe("fulfilled");
            expect(await store.getDocument(keyOf(`doc-${tag}`))).toBeDefined();
            expect(await store.getDelivery(`dlv-${tag}`)).toBeDefined();
            expect(await eventTypes(store, `case-${tag}`)).toEqual([`Event-${tag}`]);
          }
        }
      });
    });

    describe("round trips", () => {
      it("gives back every document's verification report byte for byte, shared templates or not", async () => {
        const signers = ["浙江省社会保险和就业服务中心", "广东省社会保险基金管理局"];
        const reports = Array.from({ length: 12 }, (_, i) =>
          signerReport(
            signers[i % 2]!,
            instant(i),
            i % 5 === 4 ? undefined : instant(i, Date.UTC(2026, 10, 30)),
            i % 4 === 3 ? "TOTAL_FAILED" : "TOTAL_PASSED",
          ),
        );
        await Promise.all(
          reports.map((report, i) =>
            store.commit({ newDocuments: [{ ...document(`doc-r${i}`, "case-r", `r${i}`), report }] }),
          ),
        );
        for (const [i, report] of reports.entries()) {
          const stored = await store.getDocument(keyOf(`doc-r${i}`));
          expect(JSON.stringify(stored?.report)).toBe(JSON.stringify(report));
        }
        const listed = await store.caseDocuments(AGENCY, "case-r");
        expect(listed.map((d) => JSON.stringify(d.report))).toEqual(reports.map((r) => JSON.stringify(r)));
      });
    });

    describe("lookups for people (issue 13)", () => {
      const withPerson = (change: StateChange, idNumber: string, voucherId?: string): StateChange => {
        const cw = change.caseWrite!;
        const person = { name: "陈志强", idNumber };
        const st = {
          ...cw.state,
          person,
          ...(voucherId ? { voucher: { id: voucherId, sha256: "c".repeat(64) } } : {}),
        };
        return { ...change, caseWrite: { ...cw, state: st as CaseState } };
      };

      it("finds every view of a case by case id or voucher id, and a person's cases by ID number", async () => {
        await store.commit(withPerson(step("case-p", 0, "p1"), "33010619760815123x", "GD-PZ-1"));
        await store.commit(withPerson(step("case-p", 1, "p2"), "33010619760815123x", "GD-PZ-1"));
        await store.commit(withPerson(step("case-q", 0, "q1"), "110101199003071234"));
        expect((await store.findCases({ caseId: "case-p" })).map((c) => [c.caseId, c.version])).toEqual([
          ["case-p", 2],
        ]);
        expect((await store.findCases({ voucherId: "GD-PZ-1" })).map((c) => c.caseId)).toEqual(["case-p"]);
        expect(await store.findCases({ voucherId: "GD-PZ-2" })).toEqual([]);
        expect(await store.findCases({ caseId: "case-none" })).toEqual([]);
        // Matched upper-case whatever the caller typed; another person's number finds nothing of hers.
        for (const idNumber of ["33010619760815123X", "33010619760815123x"]) {
          const page = await store.listCases({ agencyId: AGENCY, idNumber, limit: 10 });
          expect(page.cases.map((c) => c.caseId)).toEqual(["case-p"]);
        }
        expect((await store.listCases({ idNumber: "110101199003071234", limit: 10 })).cases).toHaveLength(1);
      });

      it("finds every stored copy of a document by its SHA-256", async () => {
        const sha = "d".repeat(64);
        const copy = { ...document("doc-s", "case-s", "s"), documentSha256: sha };
        await store.commit({ newDocuments: [copy, { ...copy, direction: "out", from: AGENCY, to: PEER }] });
        const found = await store.documentsBySha256(sha);
        expect(found.map((d) => d.direction).sort()).toEqual(["in", "out"]);
        expect(await store.documentsBySha256("e".repeat(64))).toEqual([]);
      });
    });

    describe("ordering under concurrent submitters", () => {
      it("acknowledges readable changes, with increasing seqs and archive indexes per submitter and no gaps", async () => {
        const SUBMITTERS = 6;
        const CHANGES = 15;
        const acked: { seq: number; index: number }[][] = Array.from({ length: SUBMITTERS }, () => []);
        const submit = async (s: number) => {
          for (let n = 0; n < CHANGES; n++) {
            const tag = `s${s}-n${n}`;
            const done = await store.commit(step(`case-${tag}`, 0, tag));
            // Readable as soon as it is acknowledged: document, case, leaf, and the log's size covers it.
            const stored = await store.getDocument(keyOf(`doc-${tag}`));
            expect(stored?.seq).toBe(done.documentSeqs[0]);
            expect(await store.getCase(AGENCY, `case-${tag}`)).toMatchObject({ version: 1 });
            expect(await store.archive.size()).toBeGreaterThan(done.archiveIndexes[0]!);
            expect(decode((await store.archive.leaf(done.archiveIndexes[0]!))!.entry)).toBe(`leaf-${tag}`);
            acked[s]!.push({ seq: done.documentSeqs[0]!, index: done.archiveIndexes[0]! });
          }
        };
        await Promise.all(Array.from({ length: SUBMITTERS }, (_, s) => submit(s)));

        for (const mine of acked) {
          for (let i = 1; i < mine.length; i++) {
            expect(mine[i]!.seq).toBeGreaterThan(mine[i - 1]!.seq);
            expect(mine[i]!.index).toBeGreaterThan(mine[i - 1]!.index);
          }
        }
        const all = acked.flat();
        expect(new Set(all.map((a) => a.seq)).size).toBe(all.length);
        expect(new Set(all.map((a) => a.index)).size).toBe(all.length);
        // No gaps: leaves 0 … size-1 are all there, in order, each hashing to its stored leaf hash.
        const size = await store.archive.size();
        const leaves = await store.archive.leaves(0, size + 10);
        expect(leaves.map((l) => l.index)).toEqual(Array.from({ length: size }, (_, i) => i));
      });

      it("serialises guarded versions: every acknowledged step exactly once, versions without gaps", async () => {
        const SUBMITTERS = 5;
        const STEPS = 6;
        await store.commit(step("case-1", 0, "open"));
        const wins: { version: number; tag: string; index: number }[] = [];
        const submit = async (s: number) => {
          for (let n = 0; n < STEPS; n++) {
            const tag = `s${s}-n${n}`;
            for (;;) {
              const version = (await store.getCase(AGENCY, "case-1"))!.version;
              try {
                const done = await store.commit(step("case-1", version, tag));
                wins.push({ version: version + 1, tag, index: done.archiveIndexes[0]! });
                break;
              } catch (error) {
                expect((error as StoreError).code).toBe("VERSION_CONFLICT");
                await expectNothingOf(store, tag);
              }
            }
          }
        };
        await Promise.all(Array.from({ length: SUBMITTERS }, (_, s) => submit(s)));

        const total = SUBMITTERS * STEPS + 1;
        expect(await store.getCase(AGENCY, "case-1")).toMatchObject({ version: total });
        const events = await store.caseEvents(AGENCY, "case-1");
        expect(events.map((e) => e.version)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
        const byVersion = [...wins].sort((a, b) => a.version - b.version);
        expect(byVersion.map((w) => w.version)).toEqual(Array.from({ length: total - 1 }, (_, i) => i + 2));
        for (const w of byVersion) expect(events[w.version - 1]!.event.type).toBe(`Event-${w.tag}`);
        // A later version got a later leaf: the log's order is the order the versions were accepted in.
        const indexes = byVersion.map((w) => w.index);
        expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
        expect(await store.caseDocuments(AGENCY, "case-1")).toHaveLength(total);
      });

      it("lets exactly one of many concurrent copies of a document key win", async () => {
        const tags = Array.from({ length: 12 }, (_, i) => `k${i}`);
        const results = await Promise.allSettled(
          tags.map((tag) => store.commit(step(`case-${tag}`, 0, tag, "doc-race"))),
        );
        const winners = tags.filter((_, i) => results[i]!.status === "fulfilled");
        expect(winners).toHaveLength(1);
        for (const [i, tag] of tags.entries()) {
          if (tag === winners[0]) continue;
          expect(((results[i] as PromiseRejectedResult).reason as StoreError).code).toBe("DUPLICATE_DOCUMENT");
          await expectNothingOf(store, tag, "doc-race");
          expect(await store.getCase(AGENCY, `case-${tag}`)).toBeUndefined();
        }
        expect(await store.getCase(AGENCY, `case-${winners[0]}`)).toMatchObject({ version: 1 });
        expect(await store.inboundDocuments(AGENCY, "doc-race")).toHaveLength(1);
      });

      it("lets exactly one of many concurrent steps on the same case version win", async () => {
        await store.commit(step("case-1", 0, "open"));
        const tags = Array.from({ length: 12 }, (_, i) => `v${i}`);
        const results = await Promise.allSettled(tags.map((tag) => store.commit(step("case-1", 1, tag))));
        const winners = tags.filter((_, i) => results[i]!.status === "fulfilled");
        expect(winners).toHaveLength(1);
        for (const [i, tag] of tags.entries()) {
          if (tag === winners[0]) continue;
          expect(((results[i] as PromiseRejectedResult).reason as StoreError).code).toBe("VERSION_CONFLICT");
          expect(await store.getDocument(keyOf(`doc-${tag}`))).toBeUndefined();
          await expectNothingOf(store, tag);
        }
        expect(await eventTypes(store, "case-1")).toEqual(["Event-open", `Event-${winners[0]}`]);
      });
    });
  });
}
