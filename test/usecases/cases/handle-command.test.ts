import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCalendar } from "../../../src/domain/calendar/index.ts";
import { type CaseCommand, CaseError, createCaseDecider } from "../../../src/domain/transfer-case/index.ts";
import { rfc6962Hasher } from "../../../src/pki/index.ts";
import { configureSqlite, migrateSqlite } from "../../../src/storage/connection.ts";
import { createSqliteStore, type SqliteStore } from "../../../src/storage/sqlite-store.ts";
import { type CasePlan, type CaseCommandDeps, handleCaseCommand } from "../../../src/usecases/cases/handle-command.ts";
import type { LoadedCase } from "../../../src/usecases/cases/state.ts";
import { GatewayError } from "../../../src/usecases/errors.ts";
import type { DocumentRecord } from "../../../src/usecases/ports.ts";
import { StoreError } from "../../../src/usecases/store-error.ts";

/**
 * The case command handler (issue 10 item 2) on a real store and the real decider: given a case,
 * when a command is handled (with another writer moving the case in between, or not), then what is
 * committed. The handler needs only `getCase` and `commit` of the store, and the decider.
 */
const NOW = new Date("2026-03-02T02:00:00.000Z");
const IN = { agencyId: "440000", role: "transfer-in" as const };
const CASE = { agencyId: IN.agencyId, caseId: "case-hc-1" };

let store: SqliteStore;
let deps: CaseCommandDeps;

beforeEach(() => {
  const sqlite = new Database(":memory:");
  configureSqlite(sqlite);
  migrateSqlite(sqlite);
  store = createSqliteStore(sqlite, { archiveHasher: rfc6962Hasher });
  const calendar = createCalendar({});
  deps = { store, calendar, decider: createCaseDecider({ calendar }) };
  windows = 0;
});
afterEach(async () => store.close());

function command(type: CaseCommand["type"], data: object): CaseCommand {
  return { type, caseId: CASE.caseId, data, metadata: { now: NOW, actor: IN } } as CaseCommand;
}

const register = () => command("RegisterApplication", { counterpartId: "330000" });
const sendLetter = () => command("SendContactLetter", { documentId: "doc-letter" });
let windows = 0;
const emergency = () => {
  windows += 1;
  return command("DeclareEmergency", {
    window: { region: "440000", from: `2026-03-${10 + windows}`, to: `2026-03-${10 + windows}`, reason: "drill" },
  });
};

/** A plan that audits its attempt and answers with the version it was decided on. */
function plan(make: () => CaseCommand, onLoad: (loaded: LoadedCase) => Promise<void> = async () => {}) {
  const seen: number[] = [];
  const run = async (loaded: LoadedCase): Promise<CasePlan<number>> => {
    seen.push(loaded.version);
    await onLoad(loaded);
    const at = NOW.toISOString();
    return {
      command: make(),
      batch: () => ({ change: { audit: [{ at, kind: `attempt-${seen.length}`, ...CASE }] }, result: loaded.version }),
    };
  };
  return { seen, run };
}

/** Another writer moves the case between our load and our commit. */
const concurrentWriter = async () => {
  await handleCaseCommand(deps, CASE, () => ({
    command: emergency(),
    batch: () => ({ change: {}, result: undefined }),
  }));
};

const letter: DocumentRecord = {
  ownerAgency: IN.agencyId,
  direction: "out",
  documentId: "doc-letter",
  type: "contact-letter",
  caseId: CASE.caseId,
  from: IN.agencyId,
  to: "330000",
  canonical: new TextEncoder().encode("{}"),
  seal: Uint8Array.of(0x30, 0),
  documentSha256: "a".repeat(64),
  sealSha256: "b".repeat(64),
  recordedAt: NOW.toISOString(),
  state: "queued",
};

const eventTypes = async () => (await store.caseEvents(CASE.agencyId, CASE.caseId)).map((e) => e.event.type);
const auditKinds = async () => (await store.auditEvents({ limit: 20 })).map((a) => a.kind).sort();

describe("handleCaseCommand", () => {
  describe("given no case, when an application is registered", () => {
    it("commits the decided events with the rest of the batch, guarded by version 0", async () => {
      const registering = plan(register);
      const decidedOn = await handleCaseCommand(deps, CASE, registering.run);

      expect(decidedOn).toBe(0);
      expect(await store.getCase(CASE.agencyId, CASE.caseId)).toMatchObject({
        version: 1,
        state: { status: "application-registered" },
      });
      expect(await eventTypes()).toEqual(["ApplicationRegistered"]);
      expect(await auditKinds()).toEqual(["attempt-1"]);
    });
  });

  describe("given a registered case", () => {
    beforeEach(async () => {
      await handleCaseCommand(deps, CASE, () => ({
        command: register(),
        batch: () => ({ change: {}, result: undefined }),
      }));
    });

    describe("when another writer moves it once between load and commit", () => {
      it("retries on the fresh case and succeeds", async () => {
        const sending = plan(sendLetter, async () => {
          if (sending.seen.length === 1) await concurrentWriter();
        });
        const decidedOn = await handleCaseCommand(deps, CASE, sending.run);

        expect(sending.seen).toEqual([1, 2]);
        expect(decidedOn).toBe(2);
        expect(await eventTypes()).toEqual(["ApplicationRegistered", "EmergencyDeclared", "ContactLetterSent"]);
        expect(await auditKinds()).toEqual(["attempt-2"]);
      });
    });

    describe("when another writer moves it before every commit", () => {
      it("gives CASE_CONFLICT after the bound and writes nothing of its own", async () => {
        const sending = plan(sendLetter, concurrentWriter);
        const refused = await handleCaseCommand(deps, CASE, sending.run, { attempts: 3 }).catch((e: unknown) => e);

        expect(refused).toBeInstanceOf(GatewayError);
        expect(refused).toMatchObject({
          code: "CASE_CONFLICT",
          cause: expect.objectContaining({ code: "VERSION_CONFLICT" }),
        });
        expect(sending.seen).toEqual([1, 2, 3]);
        expect(await eventTypes()).toEqual([
          "ApplicationRegistered",
          "EmergencyDeclared",
          "EmergencyDeclared",
          "EmergencyDeclared",
        ]);
        expect(await auditKinds()).toEqual([]);
      });
    });

    describe("when the decider refuses the command", () => {
      it("throws its refusal and writes nothing", async () => {
        const registeringAgain = plan(register);
        const refused = await handleCaseCommand(deps, CASE, registeringAgain.run).catch((e: unknown) => e);

        expect(refused).toBeInstanceOf(CaseError);
        expect(refused).toMatchObject({ code: "CASE_ALREADY_OPENED" });
        expect(registeringAgain.seen).toEqual([1]);
        expect(await store.getCase(CASE.agencyId, CASE.caseId)).toMatchObject({ version: 1 });
        expect(await auditKinds()).toEqual([]);
      });
    });

    describe("when the store refuses the batch for another reason (a document already stored)", () => {
      it("passes the refusal to the caller untouched, without retrying", async () => {
        await store.commit({ newDocuments: [letter] });
        const attempts: number[] = [];
        const refused = await handleCaseCommand(deps, CASE, (loaded) => {
          attempts.push(loaded.version);
          return { command: sendLetter(), batch: () => ({ change: { newDocuments: [letter] }, result: undefined }) };
        }).catch((e: unknown) => e);

        expect(refused).toBeInstanceOf(StoreError);
        expect(refused).toMatchObject({ code: "DUPLICATE_DOCUMENT" });
        expect(attempts).toEqual([1]);
        expect(await eventTypes()).toEqual(["ApplicationRegistered"]);
      });
    });
  });
});
