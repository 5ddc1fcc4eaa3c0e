/**
 * libbpf's dedup table: hash -> canonical type ids, several ids per hash.
 * Which candidate is tried first matters when more than one would match
 * (structs that differ only deep down, enum forward declarations), so this
 * reproduces libbpf's hashmap order rather than insertion order: an entry
 * is prepended to its bucket, and each time the map grows (when empty, or
 * when (size + 1) * 4 / 3 exceeds the capacity; capacity doubles from 4)
 * every bucket chain is re-linked head first, which reverses the relative
 * order of the entries sharing a hash.
 *
 * Keys here are 32-bit hashes rather than libbpf's 64-bit ones: each key
 * groups at least every pair libbpf's equality checks could accept, and
 * collisions between unequal types never change which equal type is found
 * first, so the order among candidates that can match is the same.
 */
const NONE: readonly number[] = [];

export class DedupTable {
  /** Per key, candidates stored oldest-first in the order libbpf would
   * walk them backwards (the last element is tried first). */
  private readonly buckets = new Map<number, number[]>();
  private size = 0;
  private cap = 0;

  add(key: number, id: number): void {
    if (this.cap === 0 || Math.floor(((this.size + 1) * 4) / 3) > this.cap) this.grow();
    const list = this.buckets.get(key);
    if (list === undefined) this.buckets.set(key, [id]);
    else list.push(id);
    this.size++;
  }

  /** Candidates, to be tried from the LAST element down (libbpf's order);
   * read-only, and only valid until the next add. */
  candidates(key: number): readonly number[] {
    return this.buckets.get(key) ?? NONE;
  }

  private grow(): void {
    this.cap = this.cap === 0 ? 4 : this.cap * 2;
    for (const list of this.buckets.values()) if (list.length > 1) list.reverse();
  }
}
