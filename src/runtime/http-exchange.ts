import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { EXCHANGE_ROUTE, type RawAnswer, type RawExchangeRequest } from "../http/exchange-path.ts";

export type ExchangePath = (req: RawExchangeRequest) => Promise<RawAnswer>;

/**
 * Node's request listener with `POST /v1/exchange` taken off the Hono adapter and served by the lean
 * path (src/http/exchange-path.ts) straight from IncomingMessage to ServerResponse; every other request
 * (and /v1/exchange with a query string or another method) goes to `app`.
 */
export function withExchangePath(app: RequestListener, exchange: ExchangePath): RequestListener {
  return (req, res) => {
    if (req.method === "POST" && req.url === EXCHANGE_ROUTE) serveExchange(exchange, req, res);
    else app(req, res);
  };
}

function serveExchange(exchange: ExchangePath, req: IncomingMessage, res: ServerResponse): void {
  const raw: RawExchangeRequest = {
    method: "POST",
    path: EXCHANGE_ROUTE,
    header: (name) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(", ") : value;
    },
    readBody: (maxBytes) => readBody(req, maxBytes),
    writeContinue: () => res.writeContinue(),
  };
  exchange(raw).then(
    (answer) => {
      // With its length: headers written by writeHead alone would frame the body as chunked.
      const body = Buffer.from(answer.body, "utf8");
      res.writeHead(answer.status, { ...answer.headers, "content-length": String(body.length) });
      res.end(body);
    },
    // The path answers every error itself; this is a broken socket.
    (err: Error) => res.destroy(err),
  );
}

/**
 * The body in one fresh buffer (one copy, offset 0, not a slice of a pooled or socket buffer), or
 * undefined as soon as it passes `maxBytes`: reading stops there, and the 413 closes the connection.
 */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off("data", onData).off("end", onEnd).off("error", onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        done();
        req.pause();
        resolve(undefined);
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      done();
      const bytes = new Uint8Array(size);
      let at = 0;
      for (const chunk of chunks) {
        bytes.set(chunk, at);
        at += chunk.length;
      }
      resolve(bytes);
    };
    const onError = (err: Error) => {
      done();
      reject(err);
    };
    req.on("data", onData).on("end", onEnd).on("error", onError);
  });
}
