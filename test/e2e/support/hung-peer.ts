import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

/**
 * A "gateway" that accepts TCP connections and never answers (issue 9 item 8), as its own process:
 * it reads whatever arrives, writes nothing, and reports each request line on stdout (the sender's
 * gateway also offers its checkpoints to peers: those are not document deliveries).
 */

const PROGRAM = `
const server = require("node:net").createServer((socket) => {
  let head = "";
  socket.on("error", () => {}).on("data", (chunk) => {
    if (head.includes("\\n")) return;
    head += chunk.toString("latin1");
    if (head.includes("\\n")) process.stdout.write(JSON.stringify({ request: head.slice(0, head.indexOf("\\r")) }) + "\\n");
  });
});
server.listen(0, "127.0.0.1", () => process.stdout.write(JSON.stringify({ port: server.address().port }) + "\\n"));
process.on("SIGTERM", () => process.exit(0));
`;

export interface HungPeer {
  url: string;
  /** Requests to /v1/exchange received so far (each on a connection of its own: none is ever answered). */
  readonly exchanges: number;
  stop(): Promise<void>;
}

/** Spawn the hung peer; resolves once it listens (bounded wait). */
export async function spawnHungPeer(startTimeoutMs = 10_000): Promise<HungPeer> {
  const child = spawn(process.execPath, ["-e", PROGRAM], { stdio: ["ignore", "pipe", "pipe"] });
  const state = { exchanges: 0 };
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`hung peer did not start within ${startTimeoutMs} ms`)),
      startTimeoutMs,
    );
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(err);
    };
    child.once("exit", (code) => fail(new Error(`hung peer exited with ${code}`)));
    lines.once("line", (line) => {
      clearTimeout(timer);
      child.removeAllListeners("exit");
      resolve((JSON.parse(line) as { port: number }).port);
    });
  });
  lines.on(
    "line",
    (line) =>
      void ((JSON.parse(line) as { request?: string }).request?.startsWith("POST /v1/exchange ") && state.exchanges++),
  );
  return {
    url: `http://127.0.0.1:${port}`,
    get exchanges() {
      return state.exchanges;
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once("exit", () => r()));
      child.kill("SIGKILL");
      await exited;
    },
  };
}
