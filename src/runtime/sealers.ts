import { createSealer, type Sealer, type SealKey } from "../pki/index.ts";

const made = new WeakMap<SealKey, Sealer>();

/**
 * The sealer for a loaded key, made once per key object: an SES sealer's checks (the maker's signature, the
 * holder, an SM2 sign-and-verify probe) run when the materials load and would run again at compose.
 */
export function sealerOf(key: SealKey): Sealer {
  let sealer = made.get(key);
  if (!sealer) {
    sealer = createSealer(key);
    made.set(key, sealer);
  }
  return sealer;
}
