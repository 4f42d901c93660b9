import { EXIT, CommandFailure, UsageError, didYouMean, isHelp, processIo, type CliIo, type Command } from "./io.ts";

/** Each command lives in its own module, loaded only when called so `jiexu check` stays fast. */
const commands: Record<string, { summary: string; load: () => Promise<{ run: Command }> }> = {
  pki: {
    summary: "pki init|export-p12|import-p12 — development PKI (never for production)",
    load: () => import("./commands/pki.ts"),
  },
  seal: {
    summary: "seal --content FILE --key KEY --cert CERT --out FILE.p7s [--format ses] — CAdES-B-B or SES seal",
    load: () => import("./commands/seal.ts"),
  },
  verify: {
    summary: "verify --seal FILE.p7s|SIG.der|SEALED.json|VOUCHER.pdf --trust ROOT.pem — DSS-style report",
    load: () => import("./commands/verify.ts"),
  },
  ses: {
    summary: "ses make-seal|verify-seal — GB/T 38540 electronic seals (SM2)",
    load: () => import("./commands/ses.ts"),
  },
  directory: {
    summary: "directory build|sign|verify — the sealed directory (trust list) of agencies and gateways",
    load: () => import("./commands/directory.ts"),
  },
  check: { summary: "check FILE.json — validate a transfer document", load: () => import("./commands/check.ts") },
  assess: {
    summary: "assess FILE.json — benefit place and temporary account (66号 arts 5–6, 人社部规〔2016〕5号)",
    load: () => import("./commands/assess.ts"),
  },
  calendar: { summary: "calendar due|workday — working-day deadlines", load: () => import("./commands/calendar.ts") },
  archive: {
    summary: "archive export|verify|audit — evidence packs (offline verification) and the 四性 integrity audit",
    load: () => import("./commands/archive.ts"),
  },
  backup: {
    summary: "backup create|verify|restore — copies of the gateway's database, made while it runs, checked",
    load: () => import("./commands/backup.ts"),
  },
  serve: { summary: "serve [--config FILE] [--port N] — run the gateway", load: () => import("./commands/serve.ts") },
  demo: {
    summary: "demo [--keep] — three gateways as separate processes, two transfers, an outage and recovery",
    load: () => import("./commands/demo.ts"),
  },
  start: {
    summary: "start — what `npm start` runs (creates data/ with a development PKI on first run)",
    load: () => import("./commands/start.ts"),
  },
};

export const COMMAND_NAMES = Object.keys(commands);

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return [
    "Usage: jiexu <command> [options]",
    "",
    ...lines,
    "",
    "Run 'jiexu <command> --help' for a command's options and exit codes (README: \"Exit codes\").",
  ].join("\n");
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [first, ...after] = argv;
  // `jiexu help archive` is `jiexu archive --help`.
  const [name, ...rest] = first === "help" && after.length > 0 ? [...after, "--help"] : argv;
  if (!name || isHelp(name)) {
    io.out(usage());
    return name ? EXIT.OK : EXIT.USAGE;
  }
  const entry = commands[name];
  if (!entry) {
    io.err(`jiexu: unknown command '${name}'${didYouMean(name, COMMAND_NAMES)}\n${usage()}`);
    return EXIT.USAGE;
  }
  try {
    const { run } = await entry.load();
    return await run(rest, io);
  } catch (err) {
    const exit = exitFor(err as Error & { code?: string; path?: string });
    if (exit === undefined) throw err;
    io.err(`jiexu ${name}: ${exit.message}`);
    return exit.code;
  }
}

/** The exit code and message of an error a command let through, or undefined for a bug (a stack trace). */
function exitFor(err: Error & { code?: string; path?: string }): { code: number; message: string } | undefined {
  if (err instanceof UsageError) return { code: EXIT.USAGE, message: err.message };
  if (err instanceof CommandFailure) return { code: err.exitCode, message: err.message };
  if (err.code === "ENOENT" || err.code === "EISDIR" || err.code === "EACCES")
    return { code: EXIT.NOINPUT, message: `cannot read ${err.path ?? "a file"} (${err.code})` };
  // Keys, certificates and seals that do not load: the input is wrong, not the command line. By name, not
  // instanceof: importing the pki and runtime here would slow every command (`jiexu check` needs neither).
  if (
    ["KeyError", "SealKeyError", "SesError", "DerError", "GatewayError", "ConfigError"].includes(err.constructor.name)
  ) {
    const code = err.constructor.name === "ConfigError" ? EXIT.CONFIG : EXIT.DATAERR;
    return { code, message: `${err.code && /^[A-Z_]+$/.test(err.code) ? `${err.code}: ` : ""}${err.message}` };
  }
  return undefined;
}
