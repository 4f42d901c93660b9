import type { CliIo } from "../io.ts";
import { run as serve } from "./serve.ts";

/** `npm start`: the gateway with `data/` as its home (created with a development PKI on first run). */
export async function run(args: string[], io: CliIo): Promise<number> {
  return serve(args, io, "start");
}
