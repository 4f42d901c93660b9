import type { CliIo } from "../io.ts";

// Placeholder until the command lands; replaced by its implementation.
export async function run(_args: string[], io: CliIo): Promise<number> {
  io.err("jiexu start: not implemented yet");
  return 70;
}
