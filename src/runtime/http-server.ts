import { serve, type ServerType } from "@hono/node-server";
import type { Server } from "node:http";
import type { ServerConfig } from "./config.ts";

type Fetch = (request: Request, env: unknown) => Response | Promise<Response>;

/**
 * The app on Node's HTTP server, bounded (issue 9 item 5): at most `maxConnections` sockets (more are
 * closed on accept), headers within `headersTimeoutMs`, the whole request within `requestTimeoutMs`
 * (a body trickling in is answered 408 and closed), idle keep-alive sockets closed after
 * `keepAliveTimeoutMs`. Node checks these timeouts on a timer (30 s by default), so the interval
 * follows the shortest of them.
 *
 * `Expect: 100-continue` is not answered by Node here: the request goes straight to the app, whose
 * body reader sends `100 Continue` once the declared length fits the route's limit (src/http/body.ts),
 * so an oversize body gets its coded 413 before the client sends a byte of it.
 */
export function listenHttp(
  fetch: Fetch,
  options: { port: number; hostname: string; server: ServerConfig },
): Promise<ServerType> {
  const s = options.server;
  const checkEveryMs = Math.max(50, Math.min(1000, Math.floor(Math.min(s.headersTimeoutMs, s.requestTimeoutMs) / 4)));
  return new Promise((resolveServer, reject) => {
    const server = serve(
      {
        fetch,
        port: options.port,
        hostname: options.hostname,
        serverOptions: {
          headersTimeout: s.headersTimeoutMs,
          requestTimeout: s.requestTimeoutMs,
          connectionsCheckingInterval: checkEveryMs,
        },
      },
      () => resolveServer(server),
    );
    const http = server as Server;
    http.maxConnections = s.maxConnections;
    http.keepAliveTimeout = s.keepAliveTimeoutMs;
    http.on("checkContinue", (req, res) => http.emit("request", req, res));
    server.once("error", reject);
  });
}
