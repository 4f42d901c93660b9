import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";

/**
 * A misbehaving peer gateway, run as its own process:
 *
 *   node --import tsx test/e2e/support/flaky-peer.ts --target http://127.0.0.1:PORT --script 500,502,swallow,500
 *
 * The n-th `POST /v1/exchange` follows the n-th script step, and every request past the script is
 * forwarded to the real gateway at `--target`, its answer relayed unchanged. Steps:
 *   500      answer 500 with a coded body
 *   502      answer 502 with an HTML body (a proxy in front of a dead gateway)
 *   hang     never answer (the sender's timeout ends it)
 *   swallow  forward to the target, then never answer: the document arrived, the sender can't know
 *
 * `GET /stats` answers what happened so far. Prints `{"port":N}` on stdout once listening, and exits
 * when stdin closes (its parent went away) or on SIGTERM.
 */

const { values } = parseArgs({ options: { target: { type: "string" }, script: { type: "string", default: "" } } });
const target = values.target?.replace(/\/+$/, "");
if (!target) {
  process.stderr.write("flaky-peer: --target is required\n");
  process.exit(2);
}
const script = (values.script ?? "")
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);
const KNOWN = new Set(["500", "502", "hang", "swallow"]);
const unknown = script.find((s) => !KNOWN.has(s));
if (unknown) {
  process.stderr.write(`flaky-peer: unknown script step ${unknown}\n`);
  process.exit(2);
}

const stats = { requests: 0, actions: [] as string[], targetStatuses: [] as number[], inFlightForwards: 0 };

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function forward(body: Buffer): Promise<{ status: number; type: string; text: string }> {
  stats.inFlightForwards += 1;
  try {
    const res = await fetch(`${target}/v1/exchange`, {
      method: "POST",
      body: new Uint8Array(body),
      headers: { "content-type": "application/json" },
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    stats.targetStatuses.push(res.status);
    return { status: res.status, type: res.headers.get("content-type") ?? "application/json", text };
  } finally {
    stats.inFlightForwards -= 1;
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

const server = createServer(async (req, res) => {
  try {
    if (req.method === "GET" && req.url === "/stats") return json(res, 200, stats);
    if (req.method !== "POST" || req.url !== "/v1/exchange")
      return json(res, 404, { code: "NOT_FOUND", message: "flaky peer" });
    const body = await readBody(req);
    const action = script[stats.requests] ?? "forward";
    stats.requests += 1;
    stats.actions.push(action);
    switch (action) {
      case "500":
        return json(res, 500, { code: "INTERNAL", message: "scripted failure" });
      case "502":
        res.writeHead(502, { "content-type": "text/html" }).end("<html><body>502 Bad Gateway</body></html>");
        return;
      case "hang":
        return;
      case "swallow":
        await forward(body);
        return;
      default: {
        const answer = await forward(body);
        res.writeHead(answer.status, { "content-type": answer.type }).end(answer.text);
      }
    }
  } catch (err) {
    if (!res.headersSent) json(res, 502, { code: "PROXY_FAILED", message: (err as Error).message });
  }
});

server.listen(0, "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ port: (server.address() as AddressInfo).port }) + "\n");
});
process.stdin.on("end", () => process.exit(0)).resume();
process.on("SIGTERM", () => process.exit(0));
