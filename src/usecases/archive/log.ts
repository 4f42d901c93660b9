import {
  assembleProof,
  consistencyPlan,
  formatCheckpoint,
  fromHex,
  inclusionPlan,
  planNodeIds,
  rangeNodes,
  toHex,
  treeRoot,
  type NodeId,
  type NodeReader,
  type ProofStep,
} from "../../domain/archive/index.ts";
import { rfc6962Hasher } from "../../pki/index.ts";
import type { GatewayDeps } from "../deps.ts";
import { GatewayError } from "../errors.ts";
import type { ArchiveLeaf, ArchiveReads, ArchiveSigner, CheckpointRecord, Committer, Principal } from "../ports.ts";
import { readableAgency } from "../principal.ts";

/**
 * The gateway's archive log personality (issue 6 items 2–3): signed checkpoints (C2SP tlog-checkpoint
 * in a signed note, Ed25519) and inclusion/consistency proofs read from stored subtree hashes.
 */
export const hasher = rfc6962Hasher;

/** Cutting a checkpoint (proofs cut one when no tree size is named): the log, the signer, the clock. */
export type CheckpointDeps = Pick<GatewayDeps, "archiveSigner" | "clock"> & { store: ArchiveReads & Committer };

function signerOf(deps: Pick<GatewayDeps, "archiveSigner">): ArchiveSigner {
  if (!deps.archiveSigner) throw new GatewayError("NOT_FOUND", "this gateway has no archive signing key");
  return deps.archiveSigner;
}

/** Read the given nodes in one batch and serve them to the pure proof code. */
async function readerFor(deps: { store: ArchiveReads }, ids: NodeId[]): Promise<NodeReader> {
  const hashes = await deps.store.archive.nodes(ids);
  const map = new Map(ids.map((id, i) => [`${id.level}/${id.index}`, hashes[i]]));
  return { getNode: (level, index) => map.get(`${level}/${index}`) };
}

/** Root of the first `size` leaves, from the ≤ log2(size) stored subtrees of its decomposition. */
export async function rootAt(deps: { store: ArchiveReads }, size: number): Promise<Uint8Array> {
  return treeRoot(hasher, size, await readerFor(deps, rangeNodes(0, size)));
}

/** Cut a checkpoint for the current tree unless the latest already covers it (on demand, and from a timer). */
export async function cutCheckpoint(deps: CheckpointDeps): Promise<CheckpointRecord> {
  const signer = signerOf(deps);
  const [size, latest] = await Promise.all([deps.store.archive.size(), deps.store.archive.latestCheckpoint()]);
  if (latest && latest.size >= size) return latest;
  const root = await rootAt(deps, size);
  const record: CheckpointRecord = {
    size,
    rootHex: toHex(root),
    note: signer.sign(formatCheckpoint({ origin: signer.origin, size, root })),
    at: deps.clock.now().toISOString(),
  };
  await deps.store.commit({ checkpoint: record });
  return record;
}

export interface InclusionProof {
  index: number;
  treeSize: number;
  leafHash: string;
  /** Audit path, RFC 9162 §2.1.3, lowercase hex. */
  proof: string[];
  checkpoint: string;
}

/** Inclusion proof of a leaf (by index or by leaf hash) against a checkpointed tree size (default: current). */
export async function inclusionProofFor(
  deps: CheckpointDeps,
  query: { index?: number; leafHash?: string; treeSize?: number },
): Promise<InclusionProof> {
  const hash = query.leafHash === undefined ? undefined : fromHex(query.leafHash);
  if (query.leafHash !== undefined && hash?.length !== hasher.size)
    throw new GatewayError("REQUEST_INVALID", "leafHash must be 64 hex digits");
  const leaf = hash ? await deps.store.archive.leafByHash(hash) : await deps.store.archive.leaf(query.index ?? -1);
  if (!leaf) throw new GatewayError("NOT_FOUND", "no such archive entry");
  const checkpoint = await checkpointFor(deps, query.treeSize);
  if (leaf.index >= checkpoint.size)
    throw new GatewayError("REQUEST_INVALID", `entry ${leaf.index} is not in the tree of size ${checkpoint.size}`);
  const proof = await proofHashes(deps, inclusionPlan(leaf.index, checkpoint.size));
  return {
    index: leaf.index,
    treeSize: checkpoint.size,
    leafHash: toHex(leaf.leafHash),
    proof,
    checkpoint: checkpoint.note,
  };
}

export interface ConsistencyProof {
  from: number;
  to: number;
  proof: string[];
  fromCheckpoint?: string;
  toCheckpoint: string;
}

/** Consistency proof between two tree sizes, RFC 9162 §2.1.4 (`to` defaults to the current checkpoint). */
export async function consistencyProofFor(deps: CheckpointDeps, from: number, to?: number): Promise<ConsistencyProof> {
  const target = await checkpointFor(deps, to);
  if (!Number.isSafeInteger(from) || from < 0 || from > target.size)
    throw new GatewayError("REQUEST_INVALID", `from must be within 0…${target.size}`);
  const proof = from === 0 || from === target.size ? [] : await proofHashes(deps, consistencyPlan(from, target.size));
  const old = await deps.store.archive.checkpoint(from);
  return { from, to: target.size, proof, toCheckpoint: target.note, ...(old ? { fromCheckpoint: old.note } : {}) };
}

async function checkpointFor(deps: CheckpointDeps, size?: number): Promise<CheckpointRecord> {
  if (size === undefined) return cutCheckpoint(deps);
  const cp = await deps.store.archive.checkpoint(size);
  if (!cp) throw new GatewayError("NOT_FOUND", `no checkpoint of size ${size}`);
  return cp;
}

async function proofHashes(deps: { store: ArchiveReads }, plan: ProofStep[]): Promise<string[]> {
  const reader = await readerFor(deps, planNodeIds(plan));
  return assembleProof(hasher, plan, reader).map(toHex);
}

/**
 * The stored bytes of one archive entry (issue 6 item 1: entries are retrievable). Entries hold whole
 * sealed documents, so an agency reads only its own; compliance and admin read any.
 */
export async function readEntry(
  deps: { store: ArchiveReads },
  principal: Principal,
  index: number,
): Promise<ArchiveLeaf> {
  const leaf = await deps.store.archive.leaf(index);
  const owner = readableAgency(principal);
  if (!leaf || (owner && leaf.ownerAgency !== owner)) throw new GatewayError("NOT_FOUND", `no archive entry ${index}`);
  return leaf;
}
