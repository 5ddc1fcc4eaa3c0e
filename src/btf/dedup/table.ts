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
 * Keys here are 30-bit hashes rather than libbpf's 64-bit ones: each key
 * groups at least every pair libbpf's equality checks could accept, and
 * collisions between unequal types never change which equal type is found
 * first, so the order among candidates that can match is the same.
 *
 * Stored in typed arrays, not a Map of arrays: per key a chain of entries
 * in the order they are to be tried (`first`, then `next`), found through
 * an open-addressing index of the keys. Nothing is allocated per entry.
 */
const NONE = -1;

export class DedupTable {
  /** Entry e: its type id, and the entry tried after it (NONE: last). */
  private ids = new Uint32Array(64);
  private nexts = new Int32Array(64);
  private size = 0;
  /** libbpf's capacity, which decides when chains are reversed. */
  private cap = 0;
  /** Open addressing over keys: slot -> key + 1 (0: empty), chain head. */
  private slotKeys = new Int32Array(64);
  private heads = new Int32Array(64);
  private keys = 0;

  add(key: number, id: number): void {
    if (this.cap === 0 || Math.floor(((this.size + 1) * 4) / 3) > this.cap) this.grow();
    if (this.size === this.ids.length) {
      const ids = new Uint32Array(this.size * 2);
      ids.set(this.ids);
      this.ids = ids;
      const nexts = new Int32Array(this.size * 2);
      nexts.set(this.nexts);
      this.nexts = nexts;
    }
    const e = this.size++;
    this.ids[e] = id;
    let slot = this.slotOf(key);
    if (this.slotKeys[slot] === 0) {
      if ((this.keys + 1) * 2 > this.slotKeys.length) {
        this.rehash();
        slot = this.slotOf(key);
      }
      this.slotKeys[slot] = key + 1;
      this.heads[slot] = NONE;
      this.keys++;
    }
    // Prepended: the newest entry is tried first.
    this.nexts[e] = this.heads[slot];
    this.heads[slot] = e;
  }

  /** The first entry to try for `key` (NONE: no candidate). Entries stay
   * valid until the next add. */
  first(key: number): number {
    const slot = this.slotOf(key);
    return this.slotKeys[slot] === 0 ? NONE : this.heads[slot];
  }

  /** The entry to try after `e` (NONE: none). */
  next(e: number): number {
    return this.nexts[e];
  }

  /** The type id of entry `e`. */
  id(e: number): number {
    return this.ids[e];
  }

  /** The slot holding `key`, or the empty slot where it would go. Keys are
   * already hashes (30 bits, non-negative), so their low bits index. */
  private slotOf(key: number): number {
    const mask = this.slotKeys.length - 1;
    let slot = key & mask;
    while (this.slotKeys[slot] !== 0 && this.slotKeys[slot] !== key + 1) slot = (slot + 1) & mask;
    return slot;
  }

  private rehash(): void {
    const oldKeys = this.slotKeys;
    const oldHeads = this.heads;
    this.slotKeys = new Int32Array(oldKeys.length * 2);
    this.heads = new Int32Array(oldKeys.length * 2);
    for (let s = 0; s < oldKeys.length; s++) {
      if (oldKeys[s] === 0) continue;
      const slot = this.slotOf(oldKeys[s] - 1);
      this.slotKeys[slot] = oldKeys[s];
      this.heads[slot] = oldHeads[s];
    }
  }

  /** libbpf's growth: every chain re-linked, reversing its order. */
  private grow(): void {
    this.cap = this.cap === 0 ? 4 : this.cap * 2;
    const keys = this.slotKeys;
    for (let s = 0; s < keys.length; s++) {
      if (keys[s] === 0) continue;
      let e = this.heads[s];
      let prev = NONE;
      while (e !== NONE) {
        const n = this.nexts[e];
        this.nexts[e] = prev;
        prev = e;
        e = n;
      }
      this.heads[s] = prev;
    }
  }
}
