import { main } from "../../src/cli/main.ts";

/** `jiexu …` in-process, as bin/jiexu.js runs it after loading: the exit code and what it printed. */
export async function jiexu(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => void out.push(t), err: (t) => void err.push(t) });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}
