import type { Server, ServerResponse } from "node:http";

/** How long requests in flight may take to finish once the gateway stops, before their connections are cut. */
export const STOP_GRACE_MS = 5_000;

export interface DrainableServer {
  /**
   * Stop accepting connections, let requests in flight finish (answered with `Connection: close`),
   * and cut whatever is still open after `graceMs`. Resolves once every connection is closed.
   */
  close(graceMs?: number): Promise<{ cut: boolean }>;
}

/**
 * A bounded, graceful close for Node's HTTP server (issue 9 item 11). `server.close()` alone stops
 * accepting connections but goes on serving keep-alive connections that stay busy: a client or
 * peer sending steadily keeps the gateway from ever exiting. So once closing, every response — in
 * flight, or to a request arriving on a connection that was already open — asks the client to close
 * the connection, connections are closed as soon as they are idle, and after the grace period the
 * rest are cut (a sender then sees `uncertain` and retries, which the receiver answers idempotently).
 * Attach it right after listening, so it sees every request.
 */
export function drainable(server: Server): DrainableServer {
  const unanswered = new Set<ServerResponse>();
  let closed: Promise<{ cut: boolean }> | undefined;
  const closeIdleSoon = () => setImmediate(() => server.closeIdleConnections());
  server.prependListener("request", (_req, res: ServerResponse) => {
    if (closed) res.shouldKeepAlive = false;
    unanswered.add(res);
    res.once("close", () => {
      unanswered.delete(res);
      if (closed) closeIdleSoon();
    });
  });
  return {
    close: (graceMs = STOP_GRACE_MS) =>
      (closed ??= new Promise((resolve) => {
        // Responses whose headers are not out yet still get `Connection: close`.
        for (const res of unanswered) if (!res.headersSent) res.shouldKeepAlive = false;
        let cut = false;
        const deadline = setTimeout(() => {
          cut = true;
          server.closeAllConnections();
        }, graceMs);
        // Node's close() also closes the connections idle now.
        server.close(() => {
          clearTimeout(deadline);
          resolve({ cut });
        });
      })),
  };
}
