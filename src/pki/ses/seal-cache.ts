/**
 * A least-recently-used cache bounded by entries and by bytes, for the facts of GB/T 38540 seals (seal-checks.ts):
 * a hit moves the entry to the young end, an insertion evicts from the old end until both bounds hold, and an
 * entry larger than the whole byte budget is never stored (it would evict everything and still not fit).
 */
export class SizedLru<V> {
  readonly #map = new Map<string, { value: V; size: number }>();
  #bytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}

  get(key: string): V | undefined {
    const hit = this.#map.get(key);
    if (!hit) return undefined;
    this.#map.delete(key); // a Map iterates in insertion order: re-inserting makes it the youngest
    this.#map.set(key, hit);
    return hit.value;
  }

  set(key: string, value: V, size: number): void {
    if (size > this.maxBytes || this.maxEntries < 1) return;
    this.delete(key);
    while (this.#map.size && (this.#map.size >= this.maxEntries || this.#bytes + size > this.maxBytes)) {
      const oldest = this.#map.keys().next().value!;
      this.delete(oldest);
    }
    this.#map.set(key, { value, size });
    this.#bytes += size;
  }

  has(key: string): boolean {
    return this.#map.has(key);
  }

  get size(): number {
    return this.#map.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  private delete(key: string): void {
    const old = this.#map.get(key);
    if (!old) return;
    this.#map.delete(key);
    this.#bytes -= old.size;
  }
}
