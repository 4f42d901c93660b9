import { Agent, createServer, get, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { drainable } from "../../src/runtime/http-drain.ts";

/** The gateway's bounded HTTP close (issue 9 item 11), on a plain Node server. */
describe("drainable", () => {
  const agents: Agent[] = [];
  let server: Server | undefined;
  afterEach(() => {
    for (const a of agents) a.destroy();
    server?.closeAllConnections();
  });

  async function listen(handler: (res: ServerResponse) => void) {
    server = createServer((_req, res) => handler(res));
    const drain = drainable(server);
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", () => r()));
    const agent = new Agent({ keepAlive: true, maxSockets: 2 });
    agents.push(agent);
    const port = (server.address() as AddressInfo).port;
    const call = () =>
      new Promise<IncomingMessage>((resolve, reject) =>
        get({ host: "127.0.0.1", port, agent, path: "/" }, (res) => res.resume().on("end", () => resolve(res))).on(
          "error",
          reject,
        ),
      );
    return { drain, call };
  }

  it("closes although keep-alive clients keep sending, answering with Connection: close (issue 9 item 11)", async () => {
    let inFlight = 0;
    const { drain, call } = await listen((res) => {
      inFlight++;
      setTimeout(() => {
        inFlight--;
        res.end("ok");
      }, 20);
    });
    let stop = false;
    const answers: (string | undefined)[] = [];
    const client = async () => {
      while (!stop) {
        try {
          answers.push((await call()).headers.connection);
        } catch {
          return; // refused once the server is closed: what a stopping gateway should do
        }
      }
    };
    const clients = [client(), client()];
    // Close while a request is in flight (its answer not yet written), as under a steady load.
    while (answers.length < 4 || inFlight === 0) await new Promise((r) => setTimeout(r, 1));
    const { cut } = await drain.close(10_000);
    stop = true;
    await Promise.all(clients);
    // Node's own close() would wait for the clients to stop; this one closed them, without cutting.
    expect(cut).toBe(false);
    // The answer in flight announced the close (the two clients' last answers may be recorded in either
    // order, and a client whose idle connection was closed between requests is refused, not answered).
    expect(answers).toContain("close");
  }, 15_000);

  it("cuts a request still unanswered when the grace period ends", async () => {
    const { drain, call } = await listen(() => undefined);
    const pending = call().then(
      () => "answered",
      () => "cut",
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(await drain.close(100)).toEqual({ cut: true });
    expect(await pending).toBe("cut");
  });
});
