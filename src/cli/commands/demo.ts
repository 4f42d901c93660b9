import { createCluster, publishWithOperatorTools, type Cluster } from "../demo/cluster.ts";
import { COMPLETED, RETURNED } from "../demo/documents.ts";
import { checksFor, collectCase, renderCase } from "../demo/report.ts";
import { GD, SC, ZJ, runScenario } from "../demo/scenario.ts";
import { EXIT, UsageError, type CliIo } from "../io.ts";
import { parseCommand, usageText, type CommandSpec } from "../spec.ts";

/**
 * `jiexu demo [--keep] [--outage-ms N]` (issue 5 item 4): three gateways — 广东 440000, 浙江 330000,
 * 四川 510000 — as separate `jiexu serve` processes on loopback ports, each with its own data
 * directory, database, keys and tokens, all trusting one development root and one sealed directory.
 * Two transfers walk end to end through the public API (one completed, one returned with a reason)
 * while 广东's gateway is stopped for a few seconds and started again. Prints a summary and exits 0
 * only if every check held (1 otherwise). Processes are always stopped; the temporary workspace is
 * removed unless --keep.
 */
export const SPEC = {
  name: "demo",
  usage: ["demo [--keep] [--outage-ms N]"],
  about: [
    "Three gateways — 广东 440000, 浙江 330000, 四川 510000 — as separate `jiexu serve` processes on loopback,",
    "one sealed directory; one transfer completed, one returned with a reason, while 广东's gateway is stopped",
    "and started again. Prints a summary and ✓/✗ checks (under a minute, plus any outage beyond 3 s).",
  ],
  options: { keep: { type: "boolean" }, "outage-ms": { type: "string" } },
  optionHelp: [
    ["--keep", "keep the temporary workspace (data, keys, logs) and print its path"],
    ["--outage-ms N", "how long 广东's gateway stays down, 0–30000 (default 3000)"],
  ],
  exits: [
    [EXIT.OK, "every check held"],
    [EXIT.FAILED, "a check failed or the demo broke off"],
    [130, "interrupted"],
  ],
} satisfies CommandSpec;
const AGENCIES = [GD, ZJ, SC] as const;

export async function run(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(SPEC, args, io);
  if (!parsed) return EXIT.OK;
  const { values } = parsed;
  const outageMs = values["outage-ms"] === undefined ? 3_000 : Number(values["outage-ms"]);
  if (!Number.isInteger(outageMs) || outageMs < 0 || outageMs > 30_000)
    throw new UsageError(`--outage-ms must be 0–30000\n${usageText(SPEC)}`);

  const t0 = performance.now();
  io.out(
    "接续 Jiexu demo — three provincial gateways, two transfers, one outage (development PKI: never for production)\n",
  );
  const cluster = await createCluster(AGENCIES);
  const interrupted = onInterrupt(cluster, io);
  try {
    return await demo(cluster, io, t0, outageMs);
  } catch (err) {
    if (interrupted.happened()) return 130;
    io.err(`jiexu demo: ✗ ${(err as Error).message}`);
    for (const gw of Object.values(cluster.gateways)) {
      const notable = gw
        .logs()
        .filter((e) => e.level !== "info")
        .slice(-5)
        .map((e) => JSON.stringify(e).slice(0, 400));
      if (notable.length) io.err(`  last warnings of the ${gw.files.agencyId} gateway:\n    ${notable.join("\n    ")}`);
    }
    return 1;
  } finally {
    interrupted.dispose();
    await cluster.close(values.keep);
    io.out(
      values.keep ? `workspace kept: ${cluster.ws.root}` : `gateways stopped, workspace ${cluster.ws.root} removed`,
    );
  }
}

async function demo(cluster: Cluster, io: CliIo, t0: number, outageMs: number): Promise<number> {
  const quiet: CliIo = { out: () => undefined, err: (t) => io.err(t) };
  await publishWithOperatorTools(cluster, { sequence: 1, validDays: 1 }, quiet);
  io.out(`workspace ${cluster.ws.root}`);
  io.out(
    "  operator: jiexu directory build + sign → directory 1 listing 广东, 浙江, 四川 (sealed by the directory operator)",
  );
  const started = await cluster.startAll();
  const pids = started.map((g) => g.pid);
  for (const g of started)
    io.out(
      `  ${g.files.agencyId} ${g.files.name.padEnd(14, "　")} ${g.url}  pid ${g.pid}  data ${g.files.dataDir.slice(cluster.ws.root.length + 1)}`,
    );
  io.out(`  gateways up in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

  const scenario = await runScenario(cluster, t0, (line) => io.out(line), outageMs);
  pids.push(cluster.gateways[GD]!.pid);

  const cases = [
    await collectCase(cluster, COMPLETED, "(a) 广东 440000 → 浙江 330000 (completed)"),
    await collectCase(cluster, RETURNED, "(b) 四川 510000 → 广东 440000 (returned)"),
  ];
  io.out("\nSummary");
  for (const c of cases) io.out(["", ...renderCase(c)].join("\n"));
  const d = scenario.outage;
  io.out(
    `\n  outage: 广东's gateway down from ${(d.stoppedAtMs / 1000).toFixed(1)} s to ${(d.restartedAtMs / 1000).toFixed(1)} s; ` +
      `failed attempts meanwhile: ${Object.entries(d.failedAttempts)
        .map(([id, n]) => `${id} ${n}`)
        .join(", ")}`,
  );
  io.out("  tries counts every attempt, including those an open circuit breaker short-circuited without a request");

  const checks = checksFor(cluster, cases, scenario, pids, performance.now() - t0);
  io.out("\nChecks");
  for (const c of checks) io.out(`  ${c.ok ? "✓" : "✗"} ${c.text}`);
  const failed = checks.filter((c) => !c.ok).length;
  io.out(failed ? `\n✗ ${failed} of ${checks.length} checks failed` : `\n✓ all ${checks.length} checks held`);
  return failed ? 1 : 0;
}

/**
 * On SIGINT/SIGTERM: stop the gateways and remove the workspace before exiting. A second signal
 * (a terminal's Ctrl-C reaches the whole process group; `timeout` signals twice) must not cut the
 * clean-up short, so the handler stays installed: later signals only hurry the gateways along.
 */
function onInterrupt(cluster: Cluster, io: CliIo): { happened(): boolean; dispose(): void } {
  let happened = false;
  const handler = (signal: NodeJS.Signals) => {
    if (happened) return cluster.group.killAllNow();
    happened = true;
    io.err(`jiexu demo: ${signal}, stopping the gateways…`);
    void cluster.close().finally(() => process.exit(130));
  };
  const lastResort = () => cluster.group.killAllNow();
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  process.once("exit", lastResort);
  return {
    happened: () => happened,
    dispose() {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
      process.off("exit", lastResort);
    },
  };
}
