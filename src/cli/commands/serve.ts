import { parseArgs } from "node:util";
import { startGateway } from "../../runtime/node.ts";
import type { CliIo } from "../io.ts";

/** `jiexu serve [--config FILE] [--data DIR] [--port N] [--host H]`: what `npm start` runs. */
export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { config: { type: "string" }, data: { type: "string" }, port: { type: "string" }, host: { type: "string" } },
  });
  const running = await startGateway({
    ...(values.config ? { configPath: values.config } : {}),
    ...(values.data ? { dataDir: values.data } : {}),
    ...(values.port ? { port: Number(values.port) } : {}),
    ...(values.host ? { host: values.host } : {}),
  });
  io.out(banner(running.url, running.development, running.tokens));
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      io.err(`jiexu: ${signal}, finishing in-flight work…`);
      void running.close().then(resolve);
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
  return 0;
}

function banner(url: string, development: boolean, tokens?: Record<string, string>): string {
  const lines = [
    `Jiexu gateway listening on ${url}`,
    `  API reference   ${url}/docs   (OpenAPI: ${url}/openapi.json)`,
    `  health/metrics  ${url}/healthz  ${url}/metrics`,
    `  exchange        POST ${url}/v1/exchange`,
  ];
  if (development) {
    lines.push("", "DEVELOPMENT MODE: development PKI and tokens under data/ — never use them in production.");
    if (tokens) lines.push("Bearer tokens (also in data/dev-tokens.json):", ...Object.entries(tokens).map(([k, v]) => `  ${k.padEnd(10)} ${v}`));
  }
  return lines.join("\n");
}
