import { BpfkitError } from '../../internal/errors.js';
import { Kind } from '../kinds.js';
import type { DedupRecords } from './records.js';
import { DedupTable } from './table.js';

/** libbpf's markers in the id maps (anything above MAX_ID is not an id). */
export const MAX_ID = 0x7fffffff;
export const UNPROCESSED = 0x80000000;
export const IN_PROGRESS = 0x80000001;

/**
 * What the passes share: `map` (each id to an equivalent id, following
 * chains to the canonical one), the hypothetical map of the struct
 * equivalence check, and the candidate table.
 */
export class DedupState {
  readonly map: Uint32Array;
  readonly hypot: Uint32Array;
  /** Ids set in `hypot` (the first hypotCount entries), so that clearing
   * it costs what filling it did. A typed array with a count: emptying a JS
   * array (length = 0) is a runtime call, and this happens per candidate. */
  hypotList = new Uint32Array(256);
  hypotCount = 0;
  /** Set when an equivalence would need a base FWD turned into a struct. */
  hypotAdjustCanon = false;
  readonly table = new DedupTable();
  /** Steps left for equivalence walks and candidate scans (see
   * DedupOptions.maxWalkSteps). */
  walkBudget: number;

  constructor(
    readonly recs: DedupRecords,
    readonly file: string | undefined,
    maxWalkSteps: number | undefined,
  ) {
    const n = recs.count;
    this.walkBudget = maxWalkSteps ?? 100_000_000 + 500 * n;
    this.map = new Uint32Array(n).fill(UNPROCESSED);
    this.hypot = new Uint32Array(n).fill(UNPROCESSED);
    this.map[0] = 0;
    // Base types are canonical by definition.
    for (let id = 1; id < recs.firstId; id++) this.map[id] = id;
    const { words, off } = recs;
    for (let id = recs.firstId; id < n; id++) {
      const k = (words[off[id] + 1] >>> 24) & 0x7f;
      // VAR and DATASEC are never deduplicated.
      if (k === Kind.Var || k === Kind.Datasec) this.map[id] = id;
    }
  }

  isMapped(id: number): boolean {
    return this.map[id] <= MAX_ID;
  }

  /** Follow `map` to the canonical id. Bounded: a corrupt chain would loop. */
  resolve(id: number): number {
    const map = this.map;
    let next = map[id];
    if (next === id || next > MAX_ID) return id;
    let steps = 0;
    do {
      id = next;
      next = map[id];
      if (++steps > map.length) throw this.error('the type map has a cycle', id);
    } while (next <= MAX_ID && next !== id);
    return id;
  }

  /** A FWD resolves to what it maps to only when that is no longer a FWD. */
  resolveFwd(id: number): number {
    if (this.recs.kind(id) !== Kind.Fwd) return id;
    const r = this.resolve(id);
    return this.recs.kind(r) !== Kind.Fwd ? r : id;
  }

  clearHypot(): void {
    const list = this.hypotList;
    for (let i = 0; i < this.hypotCount; i++) this.hypot[list[i]] = UNPROCESSED;
    this.hypotCount = 0;
    this.hypotAdjustCanon = false;
  }

  /** Record that hypot[id] was set. */
  addHypot(id: number): void {
    if (this.hypotCount === this.hypotList.length) {
      const more = new Uint32Array(this.hypotList.length * 2);
      more.set(this.hypotList);
      this.hypotList = more;
    }
    this.hypotList[this.hypotCount++] = id;
  }

  /** Charge one step (a walk step or a candidate looked at) to the budget. */
  spend(typeId: number): void {
    if (--this.walkBudget < 0) this.outOfSteps(typeId);
  }

  /** The budget is spent (callers that decrement it inline call this). */
  outOfSteps(typeId: number): never {
    throw new BpfkitError('TOO_LARGE', 'deduplication takes too many steps (many same-shape types with deep, different type graphs)', {
      typeId,
      file: this.file,
    });
  }

  error(detail: string, typeId: number): BpfkitError {
    return new BpfkitError('BAD_VALUE', detail, { typeId, file: this.file });
  }
}
