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
  exchange(new NodeExchangeRequest(req, res)).then(
    (answer) => {
      // With its length: headers written by writeHead alone would frame the body as chunked. The body goes as a
      // string: node:http then joins head and body into one chunk instead of queueing two (no Buffer copy of the
      // body either); the bytes are the same UTF-8.
      const length = String(Buffer.byteLength(answer.body, "utf8"));
      // Object.assign, not `{ ...headers, name: value }` (a hidden class per literal in Node 20:
      // docs/ingest-performance.md).
      res.writeHead(answer.status, Object.assign({}, answer.headers, { "content-length": length }));
      res.end(answer.body, "utf8");
    },
    // The path answers every error itself; this is a broken socket.
    (err: Error) => res.destroy(err),
  );
}

/**
 * The request as the lean path sees it. A class rather than an object of arrow functions: the gateway
 * runs under tsx, which names every function bound to a name when it is created (esbuild keepNames,
 * ≈0.3 µs each), and these are created for every document received (issue 12 item 1).
 */
class NodeExchangeRequest implements RawExchangeRequest {
  readonly method = "POST";
  readonly path = EXCHANGE_ROUTE;

  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
  ) {}

  header(name: string): string | undefined {
    const value = this.req.headers[name];
    return Array.isArray(value) ? value.join(", ") : value;
  }

  readBody(maxBytes: number): Promise<Uint8Array | undefined> {
    return new Promise((resolve, reject) => new BodyReader(this.req, maxBytes, resolve, reject));
  }

  writeContinue(): void {
    this.res.writeContinue();
  }
}

/**
 * The body in one fresh buffer (one copy, offset 0, not a slice of a pooled or socket buffer), or
 * undefined as soon as it passes `maxBytes`: reading stops there, and the 413 closes the connection.
 */
class BodyReader {
  private readonly chunks: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly req: IncomingMessage,
    private readonly maxBytes: number,
    private readonly resolve: (bytes: Uint8Array | undefined) => void,
    private readonly reject: (err: Error) => void,
  ) {
    this.onData = this.onData.bind(this);
    this.onEnd = this.onEnd.bind(this);
    this.onError = this.onError.bind(this);
    req.on("data", this.onData).on("end", this.onEnd).on("error", this.onError);
  }

  private onData(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      this.done();
      this.req.pause();
      this.resolve(undefined);
    } else this.chunks.push(chunk);
  }

  private onEnd(): void {
    this.done();
    const bytes = new Uint8Array(this.size);
    let at = 0;
    for (const chunk of this.chunks) {
      bytes.set(chunk, at);
      at += chunk.length;
    }
    this.resolve(bytes);
  }

  private onError(err: Error): void {
    this.done();
    this.reject(err);
  }

  private done(): void {
    this.req.off("data", this.onData).off("end", this.onEnd).off("error", this.onError);
  }
}
