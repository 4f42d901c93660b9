import { spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Load over loopback with wrk (C, one event-loop thread): far cheaper per request than a JS load
 * generator, which matters when the gateway and the load share two cores. Each wrk thread takes a
 * disjoint slice of a file of pre-sealed bodies (one per line) and sends each body once; only 201
 * answers count as accepted. Nothing is installed here: `wrkAvailable()` says whether `wrk` is on
 * PATH (`apt-get install wrk`), and the caller falls back to autocannon otherwise.
 */
export interface WrkResult {
  /** 201 answers. */
  accepted: number;
  /** Any other status (a 200 here is a replay: the slice ran out). */
  other: number;
  /** Requests re-sent because this thread's slice of bodies was used up. */
  exhausted: number;
  /** Socket errors and timeouts. */
  errors: number;
  /** Seconds, as wrk measured the run (wrk takes whole seconds: `seconds` is rounded). */
  elapsed: number;
  /** Latency percentiles in ms. */
  p50: number;
  p99: number;
  statuses: Record<string, { count: number }>;
  /** p90, p99.9 and max in ms, for the log. */
  tail: { p90: number; p999: number; max: number };
}

export function wrkAvailable(): boolean {
  try {
    const probe = spawnSync("wrk", ["--version"], { stdio: "ignore" });
    return probe.error === undefined;
  } catch {
    return false;
  }
}

/** JSON bodies must be single lines (JSON.stringify output is); they are written to `path`, one per line. */
export function writeBodies(path: string, bodies: readonly Buffer[]): string {
  const parts: Buffer[] = [];
  const newline = Buffer.from("\n");
  for (const body of bodies) {
    if (body.includes(0x0a)) throw new Error("a body for wrk contains a newline");
    parts.push(body, newline);
  }
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

export async function runWrk(options: {
  url: string;
  path: string;
  bodiesFile: string;
  seconds: number;
  connections: number;
  threads?: number;
  workDir: string;
}): Promise<WrkResult> {
  const threads = Math.max(1, Math.min(options.threads ?? 1, options.connections));
  const script = join(options.workDir, "ingest.lua");
  writeFileSync(script, LUA);
  const args = [
    "-t",
    String(threads),
    "-c",
    String(options.connections),
    "-d",
    `${Math.max(1, Math.round(options.seconds))}s`,
    "--timeout",
    "30s",
    "-s",
    script,
    new URL(options.path, options.url).href,
    "--",
    options.bodiesFile,
    String(threads),
  ];
  const child = spawn("wrk", args, { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => void (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => void (stderr += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (c) => resolve(c));
  });
  const line = stdout.split("\n").find((l) => l.startsWith("JIEXU-WRK "));
  if (code !== 0 || !line) throw new Error(`wrk exited with ${code}\n${stdout}\n${stderr}`);
  const r = JSON.parse(line.slice("JIEXU-WRK ".length)) as Record<string, number>;
  const statuses: Record<string, { count: number }> = { "201": { count: r.created! } };
  if (r.other) statuses.other = { count: r.other };
  if (r.statusErrors) statuses.non2xx3xx = { count: r.statusErrors };
  return {
    accepted: r.created!,
    other: r.other!,
    exhausted: r.exhausted!,
    errors: r.connectErrors! + r.readErrors! + r.writeErrors! + r.timeoutErrors!,
    elapsed: r.durationUs! / 1e6,
    p50: r.p50Us! / 1000,
    p99: r.p99Us! / 1000,
    statuses,
    tail: { p90: r.p90Us! / 1000, p999: r.p999Us! / 1000, max: r.maxUs! / 1000 },
  };
}

/**
 * wrk script. args: bodies file, thread count. setup() numbers the threads; init() keeps every
 * n-th line (this thread's slice) as a ready-formatted request; request() sends each once (the last
 * again, counted as exhausted, if the slice runs out); response() counts 201s; done() sums the
 * threads' counters and prints one JSON line.
 */
const LUA = String.raw`
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local path, count = args[1], tonumber(args[2])
  queue = {}
  local i = 0
  for line in io.lines(path) do
    if line ~= "" then
      if i % count == id then
        queue[#queue + 1] = wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, line)
      end
      i = i + 1
    end
  end
  nextIndex = 1
  created = 0
  other = 0
  exhausted = 0
end

function request()
  local r = queue[nextIndex]
  if r == nil then
    exhausted = exhausted + 1
    return queue[#queue]
  end
  nextIndex = nextIndex + 1
  return r
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local c, o, x = 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    o = o + t:get("other")
    x = x + t:get("exhausted")
  end
  local e = summary.errors
  io.write(string.format('JIEXU-WRK {"created":%d,"other":%d,"exhausted":%d,"requests":%d,"durationUs":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"p999Us":%d,"maxUs":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"timeoutErrors":%d,"statusErrors":%d}\n',
    c, o, x, summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max, e.connect, e.read, e.write, e.timeout, e.status))
end
`;
