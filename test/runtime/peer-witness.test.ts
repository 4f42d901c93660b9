import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { directoryPeers } from "../../src/runtime/peer-witness.ts";
import type { DirectoryRemote } from "../../src/runtime/remote.ts";

/** A directory that lists these agencies (only what `directoryPeers` reads of it). */
const listing = (agencies: { id: string; gatewayUrl: string }[]) =>
  ({ holder: { current: () => ({ agencies }) } }) as unknown as DirectoryRemote;

/**
 * Checkpoints offered to the peer gateways the directory lists: at the URL the directory gives, path prefix
 * included (the same base the deliveries use), and a refusal comes back with the peer's code.
 */
describe("directoryPeers: witnessing at the listed gateway URL", () => {
  const seen: { method?: string; url?: string; body: string }[] = [];
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        seen.push({ method: req.method, url: req.url, body });
        const known = req.url === "/jiexu/v1/archive/witness";
        res.writeHead(known ? 200 : 404, { "content-type": "application/json" });
        res.end(JSON.stringify(known ? { cosignature: "— peer AAAA" } : { code: "NOT_FOUND", message: "no route" }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("lists every other gateway once, not the hosted agencies' own", () => {
    const peers = directoryPeers(
      listing([
        { id: "330000", gatewayUrl: "https://zj.example/jiexu" },
        { id: "440000", gatewayUrl: "https://gd.example" },
        { id: "440100", gatewayUrl: "https://gd.example" },
      ]),
      ["330000"],
    );
    expect(peers.urls()).toEqual(["https://gd.example"]);
    expect(directoryPeers(undefined, ["330000"]).urls()).toEqual([]);
  });

  it("posts the note under the gateway URL's path prefix (with or without a trailing slash)", async () => {
    const peers = directoryPeers(listing([]), []);
    for (const url of [`${base}/jiexu`, `${base}/jiexu/`]) {
      seen.length = 0;
      expect(await peers.offer(url, "note\n", "vkey")).toEqual({ cosignature: "— peer AAAA" });
      expect(seen).toEqual([
        { method: "POST", url: "/jiexu/v1/archive/witness", body: '{"note":"note\\n","vkey":"vkey"}' },
      ]);
    }
  });

  it("turns a refusal into an error carrying the peer's status and code", async () => {
    const refused = directoryPeers(listing([]), []).offer(`${base}/elsewhere`, "note\n", "vkey");
    await expect(refused).rejects.toMatchObject({ status: 404, code: "NOT_FOUND" });
  });
});
