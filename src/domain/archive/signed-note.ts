import { bytesEqual, concatBytes, fromBase64, toBase64, toHex, utf8 } from "../bytes.ts";
import { ArchiveError } from "./errors.ts";
import { isValidKeyName } from "./note-key.ts";

/**
 * C2SP signed note (c2sp.org/signed-note): the text (non-empty, newline-terminated UTF-8 without other
 * control characters), one blank line, then one or more lines `— <key name> <base64(key ID ‖ signature)>`.
 * Signatures cover the text bytes including its final newline. Signature algorithms are injected as
 * {@link NoteSigner}/{@link NoteVerifier}; `src/pki/note-signer.ts` supplies Ed25519.
 */

/** One signature line. */
export interface NoteSignature {
  readonly name: string;
  readonly keyId: Uint8Array;
  readonly signature: Uint8Array;
}

/** A note split into text and signature lines, nothing verified yet. */
export interface ParsedNote {
  readonly text: string;
  readonly signatures: NoteSignature[];
}

/** A key that signs notes. */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

/** A known key that verifies note signatures. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: Uint8Array;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

/** A note with at least one good signature from a known key. */
export interface OpenedNote {
  readonly text: string;
  /** Names of the known keys whose signatures verified, in note order. */
  readonly verifiedBy: string[];
  /** Signatures by keys not in the verifier list (ignored, as the spec requires). */
  readonly unverified: NoteSignature[];
}

/** Cap on signature lines, so a hostile note cannot make verification run for long (as golang.org/x/mod/sumdb/note). */
export const MAX_NOTE_SIGNATURES = 100;
const SIG_PREFIX = "\u2014 ";
const BAD_TEXT = /[\u0000-\u0009\u000b-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** c2sp.org/signed-note: splits a note; throws ARCHIVE_NOTE_MALFORMED for anything not exactly in the format. */
export function parseNote(note: string | Uint8Array): ParsedNote {
  const message = decode(note);
  const split = message.lastIndexOf("\n\n");
  if (split < 0 || BAD_TEXT.test(message)) throw malformed("a note needs text, a blank line and signature lines");
  const [text, block] = [message.slice(0, split + 1), message.slice(split + 2)];
  if (block === "" || !block.endsWith("\n")) throw malformed("the signature block must end with a newline");
  const lines = block.slice(0, -1).split("\n");
  if (lines.length > MAX_NOTE_SIGNATURES) throw malformed(`more than ${MAX_NOTE_SIGNATURES} signatures`);
  return { text, signatures: lines.map(parseSignatureLine) };
}

/** c2sp.org/signed-note: the note text followed by a blank line and the signature lines. */
export function formatNote(text: string, signatures: readonly NoteSignature[]): string {
  assertNoteText(text);
  if (signatures.length === 0 || signatures.length > MAX_NOTE_SIGNATURES)
    throw malformed("a note carries 1 to 100 signatures");
  const lines = signatures.map(({ name, keyId, signature }) => {
    if (!isValidKeyName(name) || keyId.length !== 4)
      throw malformed(`signature key '${name}' is not a valid key name and ID`);
    return `${SIG_PREFIX}${name} ${toBase64(concatBytes([keyId, signature]))}\n`;
  });
  return `${text}\n${lines.join("")}`;
}

/** Signs `text` with every signer and formats the note. */
export function signNoteText(text: string, signers: readonly NoteSigner[]): string {
  assertNoteText(text);
  const message = utf8(text);
  return formatNote(
    text,
    signers.map((s) => ({ name: s.name, keyId: s.keyId, signature: s.sign(message) })),
  );
}

/**
 * c2sp.org/signed-note verification: signatures by unknown keys are ignored; a known key whose signature
 * fails rejects the whole note (ARCHIVE_SIGNATURE_INVALID); no good known signature → ARCHIVE_NOTE_UNVERIFIED.
 */
export function openNote(note: string | Uint8Array, verifiers: readonly NoteVerifier[]): OpenedNote {
  const { text, signatures } = parseNote(note);
  const message = utf8(text);
  const [verifiedBy, unverified, seen] = [[] as string[], [] as NoteSignature[], new Set<string>()];
  for (const sig of signatures) {
    const keyName = `${sig.name}+${toHex(sig.keyId)}`;
    const known = verifiers.filter((v) => v.name === sig.name && bytesEqual(v.keyId, sig.keyId));
    if (known.length > 1) throw new ArchiveError("ARCHIVE_KEY_AMBIGUOUS", `several verifier keys are named ${keyName}`);
    // Repeated lines are dropped: one verification per known key, one record per unknown line.
    const dedupe = known.length ? keyName : `${keyName} ${toBase64(sig.signature)}`;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    if (known.length === 0) unverified.push(sig);
    else if (known[0]!.verify(message, sig.signature)) verifiedBy.push(sig.name);
    else throw new ArchiveError("ARCHIVE_SIGNATURE_INVALID", `the signature of known key ${keyName} does not verify`);
  }
  if (verifiedBy.length === 0)
    throw new ArchiveError("ARCHIVE_NOTE_UNVERIFIED", "no known key signed this note", {
      details: { unverified: unverified.map((s) => s.name) },
    });
  return { text, verifiedBy, unverified };
}

function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(SIG_PREFIX)) throw malformed("signature lines start with an em dash and a space");
  const rest = line.slice(SIG_PREFIX.length);
  const space = rest.indexOf(" ");
  const [name, b64] = space < 0 ? ["", ""] : [rest.slice(0, space), rest.slice(space + 1)];
  const bytes = fromBase64(b64);
  if (!isValidKeyName(name) || bytes === undefined || bytes.length < 5)
    throw malformed("a signature line is '— <name> <base64(key ID ‖ signature)>'");
  return { name, keyId: bytes.slice(0, 4), signature: bytes.slice(4) };
}

function assertNoteText(text: string): void {
  if (typeof text !== "string" || text === "" || !text.endsWith("\n") || BAD_TEXT.test(text)) {
    throw malformed("note text must be non-empty, end with a newline and hold no control characters");
  }
}

function decode(note: string | Uint8Array): string {
  if (typeof note === "string") return note;
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(note);
  } catch (cause) {
    throw new ArchiveError("ARCHIVE_NOTE_MALFORMED", "a note must be UTF-8", { cause });
  }
}

function malformed(message: string): ArchiveError {
  return new ArchiveError("ARCHIVE_NOTE_MALFORMED", message);
}
