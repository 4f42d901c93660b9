import autocannon from "autocannon";
import { connect } from "node:net";
import { makeDataDir, removeDataDir, startGatewayProcess } from "./support/gateway-process.ts";
import { agencySeal, contactLetter } from "./support/sealing.ts";

/**
 * The connection-accept ramp (issue 12 item 4): how long new connections wait for their first answer
 * while the gateway is busy ingesting. A gateway process takes sealed documents on `background`
 * keep-alive connections (autocannon); then `fresh` new connections open at once, each sending
 * `GET /healthz` as soon as it is connected, and the time to each one's first byte is recorded, next to
 * that of the same request on an already-open connection. Were connections accepted one per loop turn
 * (a turn lasting milliseconds to tens of them under this load), the n-th would wait n turns and the
 * spread would grow with `fresh`; accepted together, they all wait about as long as the open one.
 *
 * `node --import tsx bench/accept-ramp.ts` (env JIEXU_RAMP_FRESH, default 64; JIEXU_RAMP_BACKGROUND, default 16).
 */
const fresh = Number(process.env.JIEXU_RAMP_FRESH ?? 64);
const background = Number(process.env.JIEXU_RAMP_BACKGROUND ?? 16);

const dataDir = makeDataDir("jiexu-ramp-");
const gateway = await startGatewayProcess({ dataDir });
try {
  const seal = agencySeal(dataDir, "330000");
  const run = Date.now().toString(36);
  const issuedAt = new Date();
  const bodies = Array.from({ length: 6000 }, (_, i) => {
    const bytes = seal.seal(
      contactLetter({ id: `LX-${run}-${i}`, caseId: `CASE-RAMP-${run}-${i}`, issuedAt }),
      issuedAt,
    );
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  });
  let next = 0;
  const load = autocannon({
    url: gateway.url,
    connections: background,
    duration: 8,
    requests: [
      {
        method: "POST",
        path: "/v1/exchange",
        setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }),
      },
    ],
  });
  await new Promise((r) => setTimeout(r, 2500)); // under load, warmed up
  const { port, hostname } = new URL(gateway.url);
  const open = await firstByte(hostname, Number(port), 1);
  const ramp = await firstByte(hostname, Number(port), fresh);
  const openAgain = await firstByte(hostname, Number(port), 1);
  const result = await load;
  const q = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
  console.log(
    JSON.stringify({
      background,
      backgroundDocsPerSecond: Math.round(result.requests.average),
      fresh,
      freshFirstByteMs: { p50: q(ramp, 0.5), p90: q(ramp, 0.9), max: ramp.at(-1) },
      oneConnectionFirstByteMs: [open[0], openAgain[0]],
    }),
  );
} finally {
  await gateway.stop("SIGTERM", 30_000).catch(() => undefined);
  removeDataDir(dataDir);
}

/** `count` connections opened at once, each sending GET /healthz when connected: ms to each first byte, sorted. */
function firstByte(host: string, port: number, count: number): Promise<number[]> {
  const started = performance.now();
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<number>((resolve, reject) => {
          const socket = connect(port, host, () => socket.write(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\n\r\n`));
          socket.once("data", () => {
            resolve(Math.round((performance.now() - started) * 10) / 10);
            socket.destroy();
          });
          socket.once("error", reject);
        }),
    ),
  ).then((ms) => ms.sort((a, b) => a - b));
}
