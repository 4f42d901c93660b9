import { EXIT_USAGE, UsageError, processIo, type CliIo, type Command } from "./io.ts";

/** Each command lives in its own module, loaded only when called so `jiexu check` stays fast. */
const commands: Record<string, { summary: string; load: () => Promise<{ run: Command }> }> = {
  pki: {
    summary: "pki init|export-p12|import-p12 — development PKI (never for production)",
    load: () => import("./commands/pki.ts"),
  },
  seal: {
    summary: "seal --content FILE --key KEY --cert CERT --out FILE.p7s — CAdES-B-B seal",
    load: () => import("./commands/seal.ts"),
  },
  verify: {
    summary: "verify --content FILE --seal FILE.p7s --trust ROOT.pem — DSS-style report",
    load: () => import("./commands/verify.ts"),
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
  serve: { summary: "serve [--config FILE] — run the gateway", load: () => import("./commands/serve.ts") },
  demo: {
    summary: "demo [--keep] — three gateways as separate processes, two transfers, an outage and recovery",
    load: () => import("./commands/demo.ts"),
  },
  start: {
    summary: "start — what `npm start` runs (creates data/ with a development PKI on first run)",
    load: () => import("./commands/start.ts"),
  },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return ["usage: jiexu <command> [options]", "", ...lines].join("\n");
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.out(usage());
    return name ? 0 : EXIT_USAGE;
  }
  const entry = commands[name];
  if (!entry) {
    io.err(`jiexu: unknown command '${name}'\n${usage()}`);
    return EXIT_USAGE;
  }
  try {
    const { run } = await entry.load();
    return await run(rest, io);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "ENOENT" || code === "EISDIR") {
      io.err(`jiexu ${name}: cannot read ${(err as { path?: string }).path ?? "a file"}`);
      return EXIT_USAGE;
    }
    if (
      err instanceof UsageError ||
      code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" ||
      code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE"
    ) {
      io.err(`jiexu ${name}: ${(err as Error).message}`);
      return EXIT_USAGE;
    }
    throw err;
  }
}
