import { agencyProvince, lookupDivision } from "../../domain/identifiers/index.ts";
import type { CaseState } from "../../domain/transfer-case/index.ts";
import { documentOf } from "../canonical.ts";
import type { GatewayDeps } from "../deps.ts";
import type { CaseRecord, DocumentReads } from "../ports.ts";

/** An agency as the tracking page names it, with the phone the person can call when the case is late. */
export interface AgencyRef {
  id: string;
  name: string;
  /** Only the transfer-in agency publishes one (the contact letter's 联系电话). */
  phone?: string;
}

interface LetterParty {
  divisionCode?: string;
  agencyName?: string;
  phone?: string;
}

/**
 * The two agencies of a case, named as best the gateway knows them: a hosted agency by its configured name,
 * else by the name the case's contact letter gives it, else by its province (广东省 社会保险经办机构), else by
 * its code. The transfer-in agency's phone comes from the contact letter, when there is one.
 */
export async function agencyRefs(
  deps: Pick<GatewayDeps, "agencies"> & { store: DocumentReads },
  shown: CaseRecord & { state: Exclude<CaseState, { status: "empty" }> },
): Promise<{ transferIn: AgencyRef; transferOut: AgencyRef; named(id: string): AgencyRef }> {
  const s = shown.state;
  const inId = s.view === "transfer-in" ? s.agencyId : s.counterpartId;
  const outId = s.view === "transfer-out" ? s.agencyId : s.counterpartId;
  const letter = await contactLetterParties(deps.store, shown);
  const fromLetter = (id: string): LetterParty | undefined =>
    id === inId ? letter?.transferIn : id === outId ? letter?.transferOut : undefined;
  const named = (id: string): AgencyRef => {
    const party = fromLetter(id);
    const name = deps.agencies.hosted(id)?.name ?? party?.agencyName ?? provinceAgency(id) ?? id;
    return { id, name, ...(id === inId && party?.phone ? { phone: party.phone } : {}) };
  };
  return { transferIn: named(inId), transferOut: named(outId), named };
}

function provinceAgency(id: string): string | undefined {
  const province = lookupDivision(agencyProvince(id))?.name;
  return province ? `${province}社会保险经办机构` : undefined;
}

/** The parties the case's contact letter names (the newest one this view holds), if it has one. */
async function contactLetterParties(
  store: DocumentReads,
  view: CaseRecord,
): Promise<{ transferIn?: LetterParty; transferOut?: LetterParty } | undefined> {
  const documents = await store.caseDocuments(view.agencyId, view.caseId);
  const letter = documents.filter((d) => d.type === "contact-letter").at(-1);
  if (!letter) return undefined;
  const body = documentOf<{ body?: { transferIn?: LetterParty; transferOut?: LetterParty } }>(letter).body;
  return body
    ? {
        ...(body.transferIn ? { transferIn: body.transferIn } : {}),
        ...(body.transferOut ? { transferOut: body.transferOut } : {}),
      }
    : undefined;
}
