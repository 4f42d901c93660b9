import { maskIdNumbersIn, maskPersonName } from "../../domain/identifiers/index.ts";

/**
 * Free text an agency wrote (a return's explanation, a discrepancy's), shown on a page reachable with just a
 * case number and an ID number (review 13a #9). Names cannot all be known, so this masks what can be told
 * apart, simply: every ID number; the registered name, also spaced out (陈 志 强) or as the given name alone
 * (志强); and any run of Han characters right after a name label (姓名、名为、名叫、姓名为…) — the usual way an
 * explanation quotes another spelling (档案姓名为陈志钢). Other names in prose pass through: agencies are
 * asked to write no names there, and this is the safety net, not a promise.
 */
export function maskExplanation(text: string, person: { name: string }): string {
  let masked = maskIdNumbersIn(text);
  masked = masked.replace(
    NAME_AFTER_LABEL,
    (_, label: string, name: string) => `${label}${maskPersonName(name.replace(/\s+/g, ""))}`,
  );
  const chars = [...person.name.replace(/\s+/g, "")];
  if (chars.length === 0) return masked;
  const spaced = new RegExp(chars.map(escape).join("\\s*"), "gu");
  masked = masked.replace(spaced, maskPersonName(chars.join("")));
  const given = chars.slice(1);
  if (given.length >= 2)
    masked = masked.replace(new RegExp(given.map(escape).join("\\s*"), "gu"), "*".repeat(given.length));
  return masked;
}

const NAME_AFTER_LABEL = /((?:姓名|名字|名为|名叫|叫做)\s*(?:为|是|:|：)?\s*)((?:\p{Script=Han}[\s·]?){1,4})/gu;

function escape(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
