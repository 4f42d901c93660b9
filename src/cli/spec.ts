import { parseArgs, type ParseArgsConfig } from "node:util";
import { EXIT, UsageError, didYouMean, isHelp, type CliIo } from "./io.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * What a command (or subcommand) is: its usage line(s), what it does, its options explained and the exit
 * codes it answers with. `--help`/`-h` prints all of it; a usage error prints the usage line(s).
 */
export interface CommandSpec<T extends Options = Options> {
  /** As typed after `jiexu`, e.g. "archive verify". */
  name: string;
  /** Usage lines after "jiexu " (the first line is the synopsis). */
  usage: readonly string[];
  /** What the command does, a few lines. */
  about: readonly string[];
  options: T;
  /** One line per option: `["--json", "print the report as JSON"]`. */
  optionHelp?: readonly (readonly [string, string])[];
  /** How many positional arguments it takes (default none). */
  positionals?: { min: number; max: number; name?: string };
  /** Exit codes besides 64 (usage), which every command has. */
  exits: readonly (readonly [number, string])[];
}

export function usageText(spec: Pick<CommandSpec, "usage">): string {
  return spec.usage.map((line, i) => `${i === 0 ? "Usage: jiexu " : "       jiexu "}${line}`).join("\n");
}

export function helpText(spec: CommandSpec): string {
  const optionLines = [...(spec.optionHelp ?? []), ["-h, --help", "print this help and exit 0"] as const];
  const width = Math.max(...optionLines.map(([flag]) => flag.length)) + 2;
  return [
    usageText(spec),
    "",
    ...spec.about,
    "",
    "Options:",
    ...optionLines.map(([flag, text]) => `  ${flag.padEnd(width)}${text}`),
    "",
    "Exit codes:",
    ...exitLines(spec.exits),
  ].join("\n");
}

export function exitLines(exits: CommandSpec["exits"]): string[] {
  const all = [...exits, [EXIT.USAGE, "usage error: unknown option, missing or malformed argument"] as const];
  return all.sort((a, b) => a[0] - b[0]).map(([code, text]) => `  ${String(code).padEnd(4)}${text}`);
}

/**
 * Parse a command's arguments: its help when `--help`/`-h` appears (before any `--`), else the values and
 * positionals, with an unknown option named with the closest known one and a count of positionals checked.
 * `undefined` means the help was printed (exit 0).
 */
export function parseCommand<T extends Options>(spec: CommandSpec<T>, args: string[], io: CliIo) {
  const end = args.indexOf("--");
  if ((end === -1 ? args : args.slice(0, end)).some((a) => a === "--help" || a === "-h")) {
    io.out(helpText(spec as CommandSpec));
    return undefined;
  }
  const parsed = parseStrict(spec, args);
  const { min, max, name } = spec.positionals ?? { min: 0, max: 0 };
  const count = parsed.positionals.length;
  if (count > max) throw new UsageError(`unexpected argument '${parsed.positionals[max]}'\n${usageText(spec)}`);
  if (count < min) throw new UsageError(`missing ${name ?? "argument"}\n${usageText(spec)}`);
  return parsed;
}

function parseStrict<T extends Options>(spec: CommandSpec<T>, args: string[]) {
  try {
    return parseArgs({ args, options: spec.options, allowPositionals: true });
  } catch (err) {
    throw new UsageError(`${explain(err as Error & { code?: string }, spec.options)}\n${usageText(spec)}`);
  }
}

function explain(err: Error & { code?: string }, options: Options): string {
  const unknown = /^Unknown option '([^']+)'/.exec(err.message)?.[1];
  if (err.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && unknown) {
    const known = Object.entries(options).flatMap(([long, o]) => [`--${long}`, ...(o.short ? [`-${o.short}`] : [])]);
    return `unknown option '${unknown}'${didYouMean(unknown, known)}`;
  }
  // Node's own text, without its advice on positionals that start with '-' (never what was meant here).
  return err.message.replace(/\. To specify a positional argument.*$/s, "");
}

/** A command that is a group of subcommands: `jiexu <group> <sub> …`. */
export interface GroupSpec {
  name: string;
  about: readonly string[];
  subcommands: Record<string, { spec: CommandSpec; run: (args: string[], io: CliIo) => Promise<number> }>;
}

export function groupHelp(group: GroupSpec): string {
  const subs = Object.values(group.subcommands).map((s) => s.spec);
  return [
    `Usage: jiexu ${group.name} <${Object.keys(group.subcommands).join("|")}> [options]`,
    "",
    ...group.about,
    "",
    "Subcommands:",
    ...subs.flatMap((s) => s.usage.map((line, i) => `  ${i === 0 ? "" : "  "}jiexu ${line}`)),
    "",
    `Run 'jiexu ${group.name} <subcommand> --help' for its options and exit codes.`,
  ].join("\n");
}

/** Run a group's subcommand; its help on `--help`/`-h`/`help`, a usage error naming the closest on a typo. */
export async function runGroup(group: GroupSpec, args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (isHelp(sub)) {
    io.out(groupHelp(group));
    return EXIT.OK;
  }
  const entry = sub === undefined ? undefined : group.subcommands[sub];
  if (entry) return entry.run(rest, io);
  const names = Object.keys(group.subcommands);
  const head = sub ? `unknown subcommand '${sub}'${didYouMean(sub, names)}` : `missing subcommand`;
  throw new UsageError(`${head}\n${groupHelp(group)}`);
}
