import { readFileSync } from "node:fs";

/**
 * The README's HTTP walkthrough as requests (issue 15 item 2): its ```sh blocks are read, variable
 * assignments and curl commands interpreted, so a test can send exactly what a reader pastes. Only the
 * subset of shell and curl the walkthrough uses is understood; anything else throws, so a README edit
 * that a test cannot follow fails loudly rather than being skipped.
 */
export const ROOT = new URL("../../", import.meta.url);

export interface CurlRequest {
  /** The command as written (continuations joined), for failure messages. */
  command: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  /** `--data @file`: the file's bytes, read from the repository root like curl run there. */
  body?: Uint8Array;
  dataFile?: string;
}

/** The commands of the ```sh blocks of one README section (from its heading to the next of its level or above). */
export function sectionCommands(readme: string, heading: string): string[] {
  const start = readme.indexOf(heading);
  if (start < 0) throw new Error(`README has no section "${heading}"`);
  const level = /^#+/.exec(heading)![0].length;
  const rest = readme.slice(start + heading.length);
  const end = rest.search(new RegExp(`\\n#{1,${level}} `));
  const section = end < 0 ? rest : rest.slice(0, end);
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.flatMap((b) => b.replace(/\\\n\s*/g, " ").split("\n")).filter((l) => l.trim() !== "");
}

/** Shell words of one line: '…' literal, "…" and bare words with $NAME / ${NAME} expanded. */
export function shellWords(line: string, vars: Readonly<Record<string, string>>): string[] {
  const words: string[] = [];
  const expand = (s: string) =>
    s.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name: string) => {
      if (!(name in vars)) throw new Error(`unset variable $${name} in: ${line}`);
      return vars[name]!;
    });
  for (const m of line.matchAll(/'([^']*)'|"((?:[^"\\]|\\.)*)"|([^\s'"]+)|(\s+)/g)) {
    if (m[4] !== undefined) words.push("\u0000");
    else words.push(m[1] ?? expand(m[2] ?? m[3] ?? ""));
  }
  // Adjacent quoted and bare parts form one word; whitespace separates words.
  return words
    .join("")
    .split("\u0000")
    .filter((w) => w !== "");
}

/** One curl command as a request; refuses options the walkthrough does not use. */
export function curlRequest(command: string, vars: Readonly<Record<string, string>>): CurlRequest {
  const [curl, ...args] = shellWords(command, vars);
  if (curl !== "curl") throw new Error(`not a curl command: ${command}`);
  const request: CurlRequest = { command, method: "GET", url: "", headers: {} };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "-sS") continue;
    if (arg === "-X") request.method = args[++i]!;
    else if (arg === "-H") {
      const [name, ...value] = args[++i]!.split(":");
      request.headers[name!.trim().toLowerCase()] = value.join(":").trim();
    } else if (arg === "--data" && args[i + 1]?.startsWith("@")) {
      request.dataFile = args[++i]!.slice(1);
      request.body = readFileSync(new URL(request.dataFile, ROOT));
      if (request.method === "GET") request.method = "POST";
    } else if (!arg.startsWith("-") && !request.url) request.url = arg;
    else throw new Error(`curl option the walkthrough test does not know: ${arg} in ${command}`);
  }
  if (!request.url) throw new Error(`no URL in: ${command}`);
  return request;
}

/**
 * Walk a section: `NAME=value` assignments set variables (`resolve` answers command substitutions
 * such as the dev-tokens lookup), every curl command becomes a request in order.
 */
export function walkthroughRequests(
  commands: readonly string[],
  resolve: (substitution: string) => string,
): CurlRequest[] {
  const vars: Record<string, string> = {};
  const requests: CurlRequest[] = [];
  for (const command of commands) {
    const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(command.trim());
    if (assignment) {
      const sub = /^\$\((.*)\)$/.exec(assignment[2]!);
      vars[assignment[1]!] = sub ? resolve(sub[1]!) : shellWords(assignment[2]!, vars).join(" ");
    } else requests.push(curlRequest(command.trim(), vars));
  }
  return requests;
}

export const WALKTHROUGH_HEADING = "#### Walkthrough: one transfer over HTTP";

/** `$(node -p 'require("./data/dev-tokens.json")["330000"]')` → that agency's token of the test gateway. */
export function devTokenLookup(tokens: Readonly<Record<string, string>>) {
  return (substitution: string): string => {
    const m = /^node -p 'require\("\.\/data\/dev-tokens\.json"\)\["([^"]+)"\]'$/.exec(substitution);
    if (!m || !tokens[m[1]!])
      throw new Error(`command substitution the walkthrough test does not know: ${substitution}`);
    return tokens[m[1]!]!;
  };
}

/** The README's walkthrough requests, against the tokens of a test gateway. */
export function readmeWalkthrough(tokens: Readonly<Record<string, string>>): CurlRequest[] {
  const readme = readFileSync(new URL("README.md", ROOT), "utf8");
  return walkthroughRequests(sectionCommands(readme, WALKTHROUGH_HEADING), devTokenLookup(tokens));
}
