/**
 * Oracles that need no bpftool: kernel BTF has already been through
 * libbpf's dedup (pahole runs it), so deduplicating it again must change no
 * type; and the same types appended twice must fold back onto the first
 * copy, except VARs and DATASECs, which libbpf never deduplicates.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDir, hasVmlinux, vmlinuxPath } from '../../test-support/corpus.js';
import { Btf } from '../btf.js';
import { encodeBtf } from '../encode.js';
import { Kind } from '../kinds.js';
import { btfFromBytes } from '../load.js';
import { dedupBtf } from './index.js';
import { shiftIds, withoutOffsets } from './testing/shift.js';

const gzPath = join(corpusDir, 'cilium-ebpf/btf/testdata/vmlinux.btf.gz');

/** A model copy with every type id passed through `map`. */
function remapped(t: Record<string, unknown>, map: Uint32Array): never {
  const c = t as { [k: string]: unknown; type?: number; indexType?: number; returnType?: number; members?: { type: number }[]; params?: { type: number }[]; vars?: { type: number }[] };
  if (typeof c.type === 'number') c.type = map[c.type];
  if (typeof c.indexType === 'number') c.indexType = map[c.indexType];
  if (typeof c.returnType === 'number') c.returnType = map[c.returnType];
  for (const l of [c.members, c.params, c.vars]) if (l !== undefined) for (const x of l) x.type = map[x.type];
  return c as never;
}
if (!hasVmlinux) console.warn('dedup fixed point: no /sys/kernel/btf/vmlinux, those checks are skipped');

function strings(btf: Btf): string[] {
  return Buffer.from(btf.strings.bytes).toString('latin1').split('\0').slice(0, -1);
}

function usedStrings(btf: Btf): Set<string> {
  const used = new Set<string>(['']);
  for (const t of btf) {
    used.add(t.name);
    if (t.kind === Kind.Struct || t.kind === Kind.Union) for (const m of t.members) used.add(m.name);
    if (t.kind === Kind.Enum || t.kind === Kind.Enum64) for (const v of t.values) used.add(v.name);
    if (t.kind === Kind.FuncProto) for (const p of t.params) used.add(p.name);
  }
  return used;
}

describe('dedup of already deduplicated kernel BTF', () => {
  it.skipIf(!hasVmlinux)('/sys/kernel/btf/vmlinux is a fixed point', () => {
    const bytes = new Uint8Array(readFileSync(vmlinuxPath));
    const btf = btfFromBytes(bytes, { file: vmlinuxPath });
    const r = dedupBtf(btf, { file: vmlinuxPath });
    expect(r.btf.typeCount).toBe(btf.typeCount);
    for (let id = 0; id < r.typeMap.length; id++) if (r.typeMap[id] !== id) expect.fail(`type ${id} moved to ${r.typeMap[id]}`);
    for (let id = 1; id < btf.typeCount; id++) {
      const a = withoutOffsets(btf.type(id));
      const b = withoutOffsets(r.btf.type(id));
      if (a !== b) expect.fail(`type ${id} changed:\n${a}\n${b}`);
    }
    // Keeping the string table (libbpf's behaviour for BTF built from
    // scratch) must reproduce the input byte for byte.
    const kept = dedupBtf(btf, { file: vmlinuxPath, strings: 'keep' });
    expect(Buffer.from(encodeBtf(kept.btf)).equals(Buffer.from(bytes))).toBe(true);
    // A rebuilt table cannot match the input's bytes: pahole's table still
    // holds the strings of the duplicates its dedup dropped (libbpf dedups
    // strings before types), in the order of the pre-dedup types. Ours holds
    // exactly the strings the surviving types use, each once, all from the
    // input.
    const ours = strings(r.btf);
    const theirs = new Set(strings(btf));
    expect(new Set(ours).size).toBe(ours.length);
    for (const s of ours) if (!theirs.has(s)) expect.fail(`string '${s}' is not in the input`);
    expect(new Set(ours)).toEqual(usedStrings(r.btf));
    console.log(`vmlinux: ${btf.typeCount - 1} types unchanged; ${ours.length} strings used of ${theirs.size} in the input`);
  }, 60_000);

  it('corpus vmlinux.btf.gz: only exact duplicates merge', () => {
    // This blob holds a few FUNC_PROTOs that were added after pahole's
    // dedup (kfunc prototypes) and duplicate earlier ones field for field;
    // libbpf merges exact duplicates, so those (and only those) go.
    const btf = btfFromBytes(new Uint8Array(readFileSync(gzPath)), { file: gzPath });
    const r = dedupBtf(btf, { file: gzPath });
    const firstOf = new Map<number, number>();
    let merged = 0;
    for (let id = 1; id < btf.typeCount; id++) {
      const n = r.typeMap[id];
      const kept = firstOf.get(n);
      const t = btf.type(id)!;
      if (kept === undefined) {
        firstOf.set(n, id);
        continue;
      }
      merged++;
      // Same fields as the type it merged into, once both are renumbered.
      const a = { ...(r.btf.type(n) as object), id: 0 };
      const moved = structuredClone(t) as unknown as Record<string, unknown>;
      moved.id = 0;
      expect(withoutOffsets(remapped(moved, r.typeMap))).toBe(withoutOffsets(a as never));
    }
    // Every surviving type is its input type with ids renumbered.
    for (const [n, id] of firstOf) {
      if (n === 0) continue;
      const want = remapped({ ...(structuredClone(btf.type(id)) as unknown as Record<string, unknown>), id: n }, r.typeMap);
      if (withoutOffsets(want) !== withoutOffsets(r.btf.type(n))) expect.fail(`type ${id} -> ${n} changed`);
    }
    expect(r.btf.typeCount).toBe(btf.typeCount - merged);
    expect(merged).toBeLessThan(20);
    console.log(`corpus vmlinux: ${merged} exact duplicates merged of ${btf.typeCount - 1} types`);
  }, 60_000);

  it.skipIf(!hasVmlinux)('vmlinux doubled folds back onto the first copy', () => {
    const btf = btfFromBytes(new Uint8Array(readFileSync(vmlinuxPath)));
    const first = [...btf];
    const n = first.length;
    const doubled = new Btf({ types: [...first, ...first.map((t) => shiftIds(t, n))], strings: btf.strings, littleEndian: btf.littleEndian });
    const r = dedupBtf(doubled);
    // Expected: the original types, then the second copy's VARs and
    // DATASECs (never merged) pointing at the first copy's types.
    const extra = first.filter((t) => t.kind === Kind.Var || t.kind === Kind.Datasec);
    expect(extra.length).toBeGreaterThan(0);
    expect(r.btf.typeCount).toBe(btf.typeCount + extra.length);
    const newIdOfExtra = new Map<number, number>();
    extra.forEach((t, i) => newIdOfExtra.set(t.id, btf.typeCount + i));
    for (let id = 1; id <= n; id++) {
      const k = first[id - 1].kind;
      const want2 = k === Kind.Var || k === Kind.Datasec ? newIdOfExtra.get(id)! : id;
      if (r.typeMap[id] !== id || r.typeMap[id + n] !== want2) expect.fail(`type ${id}: maps to ${r.typeMap[id]} and its copy to ${r.typeMap[id + n]}`);
    }
    for (let id = 1; id < btf.typeCount; id++) {
      if (withoutOffsets(btf.type(id)) !== withoutOffsets(r.btf.type(id))) expect.fail(`type ${id} changed`);
    }
    extra.forEach((t, i) => {
      const got = r.btf.type(btf.typeCount + i)!;
      const want = structuredClone(t);
      want.id = btf.typeCount + i;
      if (want.kind === Kind.Datasec) for (const v of want.vars) v.type = newIdOfExtra.get(v.type)!;
      expect(withoutOffsets(got)).toBe(withoutOffsets(want));
    });
  }, 60_000);
});
