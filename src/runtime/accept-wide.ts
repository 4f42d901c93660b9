import { spawn } from "node:child_process";
import type { Server } from "node:http";
import { createServer, type Server as NetServer, type Socket } from "node:net";

/**
 * Node 20 (its libuv) accepts one connection per event-loop turn and listening descriptor: 64 clients
 * connecting while a turn lasts tens of milliseconds wait up to 64 turns, 0.2–1.5 s in the ingest
 * bench (issue 12 item 4; bench/accept-ramp.ts measures it). No listen backlog or keep-alive setting
 * changes that, and `reusePort` (several sockets on one port) needs Node 22.12. So the listening socket
 * is given more descriptors: a short-lived child process is sent the socket and sends it back, and each
 * time the kernel hands this process a new descriptor (SCM_RIGHTS) of the same socket. Each extra
 * listener hands its connections to the HTTP server, which serves them like its own; together they
 * still hold `maxConnections`, and they stop listening when the server closes.
 *
 * Best effort: should the child fail, the server keeps its one descriptor.
 */
export async function acceptWide(http: Server, perTurn: number, maxConnections: number): Promise<void> {
  if (perTurn <= 1) return;
  const handles = await duplicateListeningHandle(http, perTurn - 1).catch(() => []);
  if (handles.length === 0) return;
  let viaExtras = 0;
  const admit = (socket: Socket) => {
    // The server counts only the connections it accepted itself: its cap shrinks by those accepted here.
    if (!http.listening || openConnections(http) + viaExtras >= maxConnections) {
      socket.destroy();
      return;
    }
    viaExtras++;
    http.maxConnections = maxConnections - viaExtras;
    socket.once("close", () => {
      viaExtras--;
      http.maxConnections = maxConnections - viaExtras;
    });
    http.emit("connection", socket);
  };
  const extras: NetServer[] = handles.map((handle) => createServer(admit).listen(handle));
  const close = http.close.bind(http);
  http.close = (callback) => {
    for (const extra of extras) extra.close();
    return close(callback);
  };
}

/** Connections the server accepted itself (net.Server counts them in `_connections`). */
function openConnections(http: Server): number {
  return (http as unknown as { _connections: number })._connections;
}

/** `count` new handles of the server's listening socket, through a child process that echoes them back. */
function duplicateListeningHandle(http: Server, count: number): Promise<object[]> {
  const handle = (http as unknown as { _handle: object })._handle;
  const child = spawn(
    process.execPath,
    ["-e", "process.on('message', (m, h) => process.send(m, h)); process.on('disconnect', () => process.exit(0));"],
    { stdio: ["ignore", "ignore", "inherit", "ipc"], env: {} },
  );
  return new Promise<object[]>((resolve, reject) => {
    const handles: object[] = [];
    const timer = setTimeout(() => finish(new Error("no handles back in time")), 5_000);
    const finish = (err?: Error) => {
      clearTimeout(timer);
      if (child.connected) child.disconnect();
      if (err && handles.length === 0) reject(err);
      else resolve(handles);
    };
    child.once("error", finish);
    child.once("exit", () => finish(new Error("the child exited")));
    child.on("message", (_m, h) => {
      if (h) handles.push(h);
      if (handles.length === count) finish();
    });
    for (let i = 0; i < count; i++) child.send(i, handle as never);
  });
}
