import { createHash } from "node:crypto";
import {
  CompactRange,
  inclusionPlan,
  inclusionProof,
  verifyInclusion,
  type NodeReader,
  type StoredNode,
} from "../src/domain/archive/index.ts";
import { rfc6962Hasher as h } from "../src/pki/merkle-hasher.ts";
import { compare, figure, type MeasureOptions } from "./measure.ts";
import type { BenchLine } from "./types.ts";

/**
 * Archive log figures (issue 6 acceptance): batched append throughput into an in-memory node store
 * against raw SHA-256 of the same leaves and nodes, and inclusion-proof generation and verification in
 * a tree of 1,000,000 leaves built once in memory, against the raw work they cannot avoid (node reads
 * and right-edge folds for generation, one SHA-256 per proof hash for verification). About 25 s, < 1 GB.
 */
const BATCH = 1000;
const TREE_SIZE = 1_000_000;
const SAMPLES = 4096;
const entry = (i: number) => new TextEncoder().encode(`{"leaf":${i},"doc":"${"x".repeat(180)}"}`);
const ENTRIES = Array.from({ length: BATCH }, (_, i) => entry(i));
const NODE_INPUT = new Uint8Array(65).fill(1);

/** Complete subtree hashes keyed by a number (index · 64 + level): what storage will persist. */
class MapNodes implements NodeReader {
  readonly map = new Map<number, Uint8Array>();
  put(nodes: readonly StoredNode[]): void {
    for (const n of nodes) this.map.set(n.index * 64 + n.level, n.hash);
  }
  getNode(level: number, index: number): Uint8Array | undefined {
    return this.map.get(index * 64 + level);
  }
}

/** One batch: hash 1,000 entries as leaves, append them, persist every completed node, compute the root. */
function appender() {
  let [range, nodes] = [CompactRange.empty(h), new MapNodes()];
  return () => {
    if (range.size >= 1 << 20) [range, nodes] = [CompactRange.empty(h), new MapNodes()]; // bound memory
    const result = range.appendBatch(ENTRIES.map((e) => h.hashLeaf(e)));
    nodes.put(result.nodes);
    range = result.range;
  };
}

/** The raw floor of one batch: SHA-256 of each 0x00-prefixed entry and of one 65-byte node per leaf. */
function rawHashes() {
  return () => {
    for (const e of ENTRIES) createHash("sha256").update(NODE_INPUT.subarray(0, 1)).update(e).digest();
    for (let i = 0; i < BATCH; i++) createHash("sha256").update(NODE_INPUT).digest();
  };
}

function buildTree(): { nodes: MapNodes; root: Uint8Array; leaf: (i: number) => Uint8Array } {
  let [range, root] = [CompactRange.empty(h), h.emptyRoot()];
  const nodes = new MapNodes();
  for (let i = 0; i < TREE_SIZE; i += BATCH) {
    const result = range.appendBatch(Array.from({ length: BATCH }, (_, k) => h.hashLeaf(entry(i + k))));
    nodes.put(result.nodes);
    [range, root] = [result.range, result.root];
  }
  return { nodes, root, leaf: (i) => nodes.getNode(0, i)! };
}

function cycle<T>(items: readonly T[], run: (item: T) => void): () => void {
  let i = 0;
  return () => run(items[i++ % items.length]!);
}

async function proofFigures(o: MeasureOptions): Promise<BenchLine[]> {
  const started = performance.now();
  const tree = buildTree();
  process.stderr.write(
    `bench: archive tree of ${TREE_SIZE} leaves built in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  const indexes = Array.from({ length: SAMPLES }, (_, k) =>
    Math.floor((((k * 2654435761) % 2 ** 32) / 2 ** 32) * TREE_SIZE),
  );
  // The floor of generation: the node reads, plus one SHA-256 per hash folded into a right-edge (ephemeral) node.
  const plans = indexes
    .map((i) => inclusionPlan(i, TREE_SIZE))
    .map((steps) => ({ ids: steps.flat(), folds: steps.flat().length - steps.length }));
  const generate = await compare(
    {
      run: cycle(plans, ({ ids, folds }) => {
        for (const id of ids) tree.nodes.getNode(id.level, id.index);
        for (let k = 0; k < folds; k++) createHash("sha256").update(NODE_INPUT).digest();
      }),
    },
    { run: cycle(indexes, (i) => inclusionProof(h, i, TREE_SIZE, tree.nodes)) },
    o,
  );
  const proofs = indexes.map((i) => ({ i, leaf: tree.leaf(i), proof: inclusionProof(h, i, TREE_SIZE, tree.nodes) }));
  const verify = await compare(
    {
      run: cycle(proofs, (p) => {
        for (const _ of p.proof) createHash("sha256").update(NODE_INPUT).digest();
      }),
    },
    { run: cycle(proofs, (p) => verifyInclusion(h, p.i, TREE_SIZE, p.leaf, p.proof, tree.root)) },
    o,
  );
  return [
    figure("archive-inclusion-proof-1m", "proofs/s", generate),
    figure("archive-inclusion-verify-1m", "verifies/s", verify),
  ];
}

/** `npm run bench` archive figures; each BenchLine compares the log against its raw baseline. */
export async function benchArchive(o: MeasureOptions = {}): Promise<BenchLine[]> {
  const append = await compare({ run: rawHashes() }, { run: appender() }, o);
  const lines = [
    figure("archive-append-batched", "leaves/s", { value: append.value * BATCH, baseline: append.baseline * BATCH }),
  ];
  return [...lines, ...(await proofFigures(o))];
}

/** bench/run.ts group entry: prints one JSON line per figure. */
export async function run(o: MeasureOptions = {}): Promise<void> {
  for (const line of await benchArchive(o)) process.stdout.write(JSON.stringify(line) + "\n");
}
