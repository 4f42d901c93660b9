import { serialize } from "node:v8";
import { pathToFileURL } from "node:url";

/**
 * CPU of the HTTP thread per received document, without HTTP, disk or a second thread (issue 12): the lean
 * /v1/exchange path (src/http/exchange-path.ts) over the test gateway (in-memory SQLite reads), its JSON logger
 * writing nowhere, its commit being the main side of the writer message (commitMessage, then a v8 serialize as
 * postMessage makes) and resolving at once. 16 documents in flight, every one a new sealed contact letter.
 *
 *   node --max-semi-space-size=32 --import tsx bench/exchange-cpu.ts [ROOT]
 *
 * ROOT (default: this tree) is the tree whose src/ and test/support are loaded, so two checkouts compare
 * alternately on one machine. Prints the CPU µs per document of 6 batches of N (JIEXU_EXCHANGE_CPU_DOCS, 800)
 * after one of warm-up; read the minimum, the machine being shared. The ingest bench is what the issue judges:
 * this one only tells the direction of a change to the HTTP thread, with far less noise.
 */
const root = process.argv[2] ?? new URL("..", import.meta.url).pathname;
const load = (path: string) => import(pathToFileURL(`${root}/${path}`).href);
const { createTestGateway } = await load("test/support/gateway-harness.ts");
const { example } = await load("test/http/app-harness.ts");
const { jsonLogger } = await load("src/runtime/basics.ts");
const { createMetricsRegistry } = await load("src/http/metrics.ts");
const { commitMessage } = await load("src/storage/writer-protocol.ts");
const { createExchangePath } = await load("src/http/exchange-path.ts");
const { canonicalBytes, sealedDocumentBytes, shanghaiTimestamp } = await load("src/usecases/canonical.ts");

const documents = Number(process.env.JIEXU_EXCHANGE_CPU_DOCS ?? 800);
const inFlight = 16;
const logger = jsonLogger(() => {});
const gw = await createTestGateway({ logger, metrics: createMetricsRegistry() });
let commits = 0;
gw.deps.store.commit = async (change: unknown) => {
  serialize(commitMessage(commits++, change));
  return { archived: [] };
};

// A letter between two agencies without a voucher (the example's names one this gateway never issued).
const { voucher: _voucher, ...body } = example("contact-letter").body;
const sealer = gw.deps.agencies.hosted("330000").sealKey;
const bodies: Uint8Array[] = [];
for (let i = 0; i < 7 * documents + inFlight; i++) {
  const issuedAt = shanghaiTimestamp(gw.clock.now());
  const doc = { ...example("contact-letter"), body, id: `CPU-${i}`, caseId: `CASE-CPU-${i}`, issuedAt };
  const canonical = canonicalBytes(doc);
  bodies.push(sealedDocumentBytes(canonical, sealer.seal(canonical, gw.clock.now())));
}

const exchange = createExchangePath({ gateway: gw.deps, logger, metrics: createMetricsRegistry() });
const request = (bytes: Uint8Array) => ({
  method: "POST",
  path: "/v1/exchange",
  header: (name: string) => (name === "content-length" ? String(bytes.length) : undefined),
  readBody: async () => bytes,
});
let next = 0;

/** CPU µs per document over `n` documents. */
async function batch(n: number): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < n; i += inFlight) {
    const answers = await Promise.all(Array.from({ length: inFlight }, () => exchange(request(bodies[next++]!))));
    for (const a of answers) if (a.status !== 201) throw new Error(`answer ${a.status}: ${a.body.slice(0, 300)}`);
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / n;
}

await batch(documents);
const cpu: number[] = [];
for (let b = 0; b < 6; b++) cpu.push(await batch(documents));
const sorted = [...cpu].sort((a, b) => a - b);
process.stdout.write(
  `exchange-cpu ${root}: µs per document min ${sorted[0]!.toFixed(0)}, median ${sorted[3]!.toFixed(0)} (${cpu.map((c) => c.toFixed(0)).join(" ")})\n`,
);
await gw.close();
process.exit(0);
