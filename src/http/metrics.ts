import type { Metrics } from "../usecases/index.ts";

/**
 * In-process metrics for /metrics: counters and histograms with labels (the use cases' `Metrics`
 * port) plus gauges read from callbacks at scrape time. Rendered as Prometheus text format 0.0.4.
 */
export interface MetricsRegistry extends Metrics {
  /** Name a metric's help text (and buckets) before it is first used; unknown names get a generic help. */
  describe(name: string, kind: "counter" | "histogram", help: string, buckets?: readonly number[]): void;
  /** A gauge whose value is read when scraped, e.g. the outbox queue depth. */
  gauge(name: string, help: string, read: () => number | Promise<number>): void;
  /** Prometheus text exposition (async because gauge callbacks may be). */
  render(): Promise<string>;
}

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** Latency buckets in seconds: a 2 KB document verifies and commits in milliseconds, a stalled fsync in seconds. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

type Labels = Record<string, string>;
interface Series {
  labels: Labels;
  value: number;
  counts: number[];
  sum: number;
}
interface Family {
  kind: "counter" | "histogram";
  help: string;
  buckets: readonly number[];
  series: Map<string, Series>;
  /** The same series by the labels exactly as passed (key order included): skips sanitising and sorting on every call. */
  byRawLabels: Map<string, Series>;
}

/** The metrics this gateway emits, so their help text is right from the first scrape. */
const KNOWN: [string, Family["kind"], string][] = [
  ["jiexu_documents_in_total", "counter", "Documents received at /v1/exchange, by type and outcome"],
  ["jiexu_documents_out_total", "counter", "Documents submitted by hosted agencies and queued, by type and outcome"],
  ["jiexu_receive_seconds", "histogram", "Time to verify, commit and receipt one inbound document"],
  [
    "jiexu_seal_verify_seconds",
    "histogram",
    "Seal verification latency of inbound documents (DER walk, chain verdict, signature)",
  ],
  ["jiexu_peer_sends_total", "counter", "Sends to peer gateways, by peer and outcome"],
  ["jiexu_peer_send_seconds", "histogram", "Latency of sends to peer gateways, by peer"],
  ["jiexu_peer_breaker_transitions_total", "counter", "Circuit breaker transitions, by peer and new state"],
  ["jiexu_http_requests_total", "counter", "HTTP requests, by method, route and status"],
  ["jiexu_http_request_seconds", "histogram", "HTTP request latency, by method and route"],
];

export function createMetricsRegistry(): MetricsRegistry {
  const families = new Map<string, Family>();
  const gauges = new Map<string, { help: string; read: () => number | Promise<number> }>();

  const family = (name: string, kind: Family["kind"]): Family => {
    let f = families.get(name);
    if (!f)
      families.set(
        name,
        (f = {
          kind,
          help: name.replaceAll("_", " "),
          buckets: LATENCY_BUCKETS,
          series: new Map(),
          byRawLabels: new Map(),
        }),
      );
    return f;
  };
  const series = (f: Family, labels: Labels): Series => {
    const raw = rawKey(labels);
    let s = f.byRawLabels.get(raw);
    if (s) return s;
    const clean = sanitizeLabels(labels);
    const key = JSON.stringify(Object.entries(clean).sort());
    s = f.series.get(key);
    if (!s) f.series.set(key, (s = { labels: clean, value: 0, counts: f.buckets.map(() => 0), sum: 0 }));
    f.byRawLabels.set(raw, s);
    return s;
  };

  const registry: MetricsRegistry = {
    describe(name, kind, help, buckets) {
      const f = family(name, kind);
      f.help = help;
      if (buckets && f.series.size === 0) f.buckets = [...buckets].sort((a, b) => a - b);
    },
    gauge: (name, help, read) => void gauges.set(name, { help, read }),
    count(name, labels, by = 1) {
      series(family(name, "counter"), labels).value += by;
    },
    observe(name, labels, seconds) {
      const f = family(name, "histogram");
      const s = series(f, labels);
      f.buckets.forEach((le, i) => void (seconds <= le && s.counts[i]!++));
      s.sum += seconds;
      s.value += 1;
    },
    async render() {
      const lines: string[] = [];
      for (const [name, f] of families) lines.push(...renderFamily(name, f));
      for (const [name, g] of gauges) {
        lines.push(`# HELP ${name} ${escapeHelp(g.help)}`, `# TYPE ${name} gauge`);
        // A failing callback (store busy) drops the sample rather than the whole scrape.
        const value = await Promise.resolve()
          .then(g.read)
          .catch(() => undefined);
        if (value !== undefined && Number.isFinite(value)) lines.push(`${name} ${value}`);
      }
      return lines.join("\n") + "\n";
    },
  };
  for (const [name, kind, help] of KNOWN) registry.describe(name, kind, help);
  return registry;
}

function renderFamily(name: string, f: Family): string[] {
  const lines = [`# HELP ${name} ${escapeHelp(f.help)}`, `# TYPE ${name} ${f.kind}`];
  for (const s of f.series.values()) {
    if (f.kind === "counter") {
      lines.push(`${name}${labelText(s.labels)} ${s.value}`);
      continue;
    }
    // Buckets are cumulative by definition of the format: counts[i] already holds every value ≤ le.
    for (const [i, le] of f.buckets.entries()) {
      lines.push(`${name}_bucket${labelText({ ...s.labels, le: String(le) })} ${s.counts[i]}`);
    }
    lines.push(
      `${name}_bucket${labelText({ ...s.labels, le: "+Inf" })} ${s.value}`,
      `${name}_sum${labelText(s.labels)} ${s.sum}`,
      `${name}_count${labelText(s.labels)} ${s.value}`,
    );
  }
  return lines;
}

/** Names and values as given, each length-prefixed so that no two different label sets share a key. */
function rawKey(labels: Labels): string {
  let key = "";
  for (const [name, value] of Object.entries(labels)) {
    const text = String(value);
    key += `${name.length}:${name}${text.length}:${text}`;
  }
  return key;
}

function sanitizeLabels(labels: Labels): Labels {
  return Object.fromEntries(
    Object.entries(labels).map(([k, v]) => [k.replace(/[^A-Za-z0-9_]/g, "_").replace(/^(\d)/, "_$1"), String(v)]),
  );
}

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return "";
  return `{${entries.map(([k, v]) => `${k}="${v.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n")}"`).join(",")}}`;
}

function escapeHelp(help: string): string {
  return help.replaceAll("\\", "\\\\").replaceAll("\n", "\\n");
}
