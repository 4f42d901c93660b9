import { getRequestListener, type ServerType } from "@hono/node-server";
import { createServer, type Server } from "node:http";
import { acceptWide } from "./accept-wide.ts";
import type { ServerConfig } from "./config.ts";
import { type ExchangePath, withExchangePath } from "./http-exchange.ts";

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
 *
 * With `exchange`, `POST /v1/exchange` bypasses the Hono adapter (src/runtime/http-exchange.ts).
 */
export function listenHttp(
  fetch: Fetch,
  options: { port: number; hostname: string; server: ServerConfig; exchange?: ExchangePath },
): Promise<ServerType> {
  const s = options.server;
  const checkEveryMs = Math.max(50, Math.min(1000, Math.floor(Math.min(s.headersTimeoutMs, s.requestTimeoutMs) / 4)));
  const app = getRequestListener(fetch, { hostname: options.hostname });
  const http: Server = createServer(
    {
      headersTimeout: s.headersTimeoutMs,
      requestTimeout: s.requestTimeoutMs,
      connectionsCheckingInterval: checkEveryMs,
    },
    options.exchange ? withExchangePath(app, options.exchange) : app,
  );
  http.maxConnections = s.maxConnections;
  http.keepAliveTimeout = s.keepAliveTimeoutMs;
  http.on("checkContinue", (req, res) => http.emit("request", req, res));
  return new Promise((resolveServer, reject) => {
    http.once("error", reject);
    http.listen(options.port, options.hostname, () => {
      http.off("error", reject);
      acceptWide(http, s.acceptPerTurn, s.maxConnections).then(() => resolveServer(http), reject);
    });
  });
}
