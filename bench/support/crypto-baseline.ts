import { generateKeyPairSync, randomBytes, sign, verify } from "node:crypto";

/**
 * The raw cost floor of ingesting one sealed document: one ECDSA P-256 verify (the seal) and one
 * sign (the receipt) over 2 KB with cached KeyObjects, sequential on one core for ~`seconds`.
 * Returns pairs per CPU-second of this thread (user + system), so a busy neighbour on a shared
 * machine slows the run but not the figure.
 */
export function verifySignRate(seconds = 2): number {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const data = randomBytes(2048);
  const signature = sign("sha256", data, privateKey);
  for (let i = 0; i < 200; i++) verify("sha256", data, publicKey, sign("sha256", data, privateKey)); // warm up
  let pairs = 0;
  const cpu = process.cpuUsage();
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    for (let i = 0; i < 50; i++) {
      if (!verify("sha256", data, publicKey, signature)) throw new Error("baseline signature did not verify");
      sign("sha256", data, privateKey);
    }
    pairs += 50;
  }
  const used = process.cpuUsage(cpu);
  return pairs / ((used.user + used.system) / 1e6);
}
