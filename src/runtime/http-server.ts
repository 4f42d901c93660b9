import { getRequestListener, type ServerType } from "@hono/node-server";
import { createServer, type Server } from "node:http";
import { acceptWide } from "./accept-wide.ts";
import type { ServerConfig } from "./config.ts";
import { type ExchangePath, withExchangePath } from "./http-exchange.ts";

/**
 * The gateway cannot listen where it was told (issue 15 item 4): the port is taken (EADDRINUSE) or not
 * permitted (EACCES, a port below 1024). Carries the address, so the CLI says which port and how to pick another.
 */
export class ListenError extends Error {
  override name = "ListenError";
  constructor(
    readonly code: "PORT_IN_USE" | "PORT_NOT_PERMITTED",
    readonly port: number,
    readonly host: string,
    options?: { cause?: unknown },
  ) {
    super(
      code === "PORT_IN_USE" ? `port ${port} on ${host} is already in use` : `not permitted to listen on port ${port}`,
      options,
    );
  }
}

function listenErrorOf(err: Error & { code?: string }, port: number, host: string): Error {
  if (err.code === "EADDRINUSE") return new ListenError("PORT_IN_USE", port, host, { cause: err });
  if (err.code === "EACCES") return new ListenError("PORT_NOT_PERMITTED", port, host, { cause: err });
  return err;
}

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
    const refuse = (err: Error) => reject(listenErrorOf(err, options.port, options.hostname));
    http.once("error", refuse);
    http.listen(options.port, options.hostname, () => {
      http.off("error", refuse);
      acceptWide(http, s.acceptPerTurn, s.maxConnections).then(() => resolveServer(http), reject);
    });
  });
}
