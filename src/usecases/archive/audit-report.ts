/**
 * The integrity audit's report (四性检测, DA/T 70-2018; issue 6 item 6): one item per check, grouped
 * by the four properties, each with how many things it checked and how many failed, and every
 * failure located in storage (table, leaf index or node level/index or checkpoint size, field).
 */
export type Property = "真实性" | "完整性" | "可用性" | "安全性";

export type AuditItemId =
  | "authenticity.fixity"
  | "authenticity.seals"
  | "authenticity.stored-copy"
  | "integrity.nodes"
  | "integrity.checkpoint-roots"
  | "integrity.metadata"
  | "integrity.case-index"
  | "usability.readable"
  | "usability.renderable"
  | "security.sequence"
  | "security.checkpoint-signatures"
  | "security.checkpoint-order";

export type AuditTable = "archive_leaves" | "archive_nodes" | "checkpoints" | "documents";

export interface AuditFailure {
  table: AuditTable;
  index?: number;
  level?: number;
  size?: number;
  field: string;
  /** Stable code for tools and tests, e.g. ENTRY_ALTERED, NODE_MISMATCH, ROOT_MISMATCH. */
  code: string;
  message: string;
}

export interface AuditItem {
  id: AuditItemId;
  property: Property;
  /** DA/T 70-2018 item name · what is checked. */
  name: string;
  checked: number;
  failed: number;
  /** The first failures (at most MAX_LISTED per item); `failed` counts them all. */
  failures: AuditFailure[];
}

export interface AuditReport {
  ok: boolean;
  generatedAt: string;
  origin?: string;
  treeSize: number;
  checkpoints: number;
  items: AuditItem[];
}

const ITEMS: Record<AuditItemId, [Property, string]> = {
  "authenticity.fixity": [
    "真实性",
    "固化信息有效性·数字摘要 — leaf hash of the entry bytes vs stored leaf hash and level-0 node",
  ],
  "authenticity.seals": ["真实性", "固化信息有效性·电子印章 — every archived seal re-verified at its archive time"],
  "authenticity.stored-copy": ["真实性", "元数据与内容关联 — archived entry vs the documents table"],
  "integrity.nodes": ["完整性", "内容数据齐全 — every stored subtree hash recomputed from the leaves"],
  "integrity.checkpoint-roots": ["完整性", "总件数相符 — tree root at every checkpoint size vs the stored root"],
  "integrity.metadata": ["完整性", "元数据项齐全·必填项 — required archive metadata, digests match the bytes"],
  "integrity.case-index": [
    "完整性",
    "总件数相符·案件索引 — every case index lists exactly the case's document and receipt leaves before it, and none comes after the last",
  ],
  "usability.readable": ["可用性", "元数据可读 — entry is UTF-8 RFC 8785 JSON {meta, sealed}"],
  "usability.renderable": ["可用性", "内容可打开浏览 — sealed document conforms to its JSON Schema"],
  "security.sequence": ["安全性", "连续编号无漏号 — no gaps in leaf indexes"],
  "security.checkpoint-signatures": [
    "安全性",
    "操作过程安全 — every checkpoint signature verifies with the gateway key",
  ],
  "security.checkpoint-order": ["安全性", "操作过程安全 — checkpoints grow monotonically in size and time"],
};

export const MAX_LISTED = 100;

/** A failure builder for one archive leaf: `at(field, code, message)`. */
export function leafFailure(index: number): (field: string, code: string, message: string) => AuditFailure {
  return (field, code, message) => ({ table: "archive_leaves", index, field, code, message });
}

/** Accumulates counts and failures per item while the audit streams through storage. */
export class AuditTally {
  private readonly items = new Map<AuditItemId, AuditItem>(
    (Object.entries(ITEMS) as [AuditItemId, [Property, string]][]).map(([id, [property, name]]) => [
      id,
      { id, property, name, checked: 0, failed: 0, failures: [] },
    ]),
  );

  checked(id: AuditItemId, n = 1): void {
    this.items.get(id)!.checked += n;
  }

  fail(id: AuditItemId, failure: AuditFailure): void {
    const item = this.items.get(id)!;
    item.failed++;
    if (item.failures.length < MAX_LISTED) item.failures.push(failure);
  }

  report(head: Omit<AuditReport, "ok" | "items">): AuditReport {
    const items = [...this.items.values()];
    return { ok: items.every((i) => i.failed === 0), ...head, items };
  }
}
