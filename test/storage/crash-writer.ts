/**
 * Child process for durability.test.ts: commits forever and prints `ack <documentId> <seq>` only after
 * each commit's promise resolved (i.e. after its group's COMMIT was fsynced). The parent SIGKILLs it.
 * Each chain creates a case and then advances it twice, each step carrying a document, a delivery
 * and an audit row, with many chains in flight so groups are large when the kill lands.
 */
import { ingestChange, openStoreAt, deliveryRecord } from "./fixtures.ts";

const path = process.argv[2];
if (!path) throw new Error("usage: crash-writer.ts <db-path>");
const store = openStoreAt(path);

async function chain(n: number): Promise<void> {
  for (let step = 0; step < 3; step++) {
    const documentId = `doc-${n}-${step}`;
    const change = {
      ...ingestChange(`case-${n}`, documentId, step),
      newDeliveries: [deliveryRecord({ id: `dlv-${documentId}`, documentId })],
    };
    const { documentSeqs } = await store.commit(change);
    process.stdout.write(`ack ${documentId} ${documentSeqs[0]}\n`);
  }
}

let next = 0;
async function worker(): Promise<never> {
  for (;;) await chain(next++);
}

process.stdout.write("ready\n");
await Promise.all(Array.from({ length: 64 }, worker));
