/**
 * Oracles that need no bpftool: kernel BTF has already been through
 * libbpf's dedup (pahole runs it), so deduplicating it again must change no
 * type; and the same types appended twice must fold back onto the first
 * copy, and match what libbpf (bpftool gen object) makes of them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readElf } from '../../elf/read.js';
import { findSection } from '../../elf/sections.js';
import { corpusDir, hasVmlinux, vmlinuxPath, which } from '../../test-support/corpus.js';
import { formatRaw } from '../dump/raw.js';
import type { AnyBtfType } from '../types.js';
import { Btf } from '../btf.js';
import { encodeBtf } from '../encode.js';
import { Kind } from '../kinds.js';
import { btfFromBytes } from '../load.js';
import { dedupBtf } from './index.js';
import { btfOnlyObject } from './testing/btf-object.js';
import { shiftIds, withoutOffsets } from './testing/shift.js';

const gzPath = join(corpusDir, 'cilium-ebpf/btf/testdata/vmlinux.btf.gz');
const bpftool = existsSync('/usr/sbin/bpftool') ? '/usr/sbin/bpftool' : which('bpftool');

/**
 * Dedup `btf` and check that every type that went away was an exact
 * duplicate of the one it merged into (same fields once both are
 * renumbered) and that every surviving type is its input renumbered.
 * Returns how many merged.
 */
function onlyExactDuplicatesMerge(btf: Btf): number {
  const r = dedupBtf(btf);
  const firstOf = new Map<number, number>();
  let merged = 0;
  for (let id = btf.firstId; id < btf.typeCount; id++) {
    const n = r.typeMap[id];
    const kept = firstOf.get(n);
    if (kept === undefined) {
      firstOf.set(n, id);
      continue;
    }
    merged++;
    const moved = remapped({ ...(structuredClone(btf.type(id)) as unknown as Record<string, unknown>), id: n }, r.typeMap);
    if (withoutOffsets(moved) !== withoutOffsets(r.btf.type(n))) expect.fail(`type ${id} merged into ${n} but differs from it`);
  }
  for (const [n, id] of firstOf) {
    const want = remapped({ ...(structuredClone(btf.type(id)) as unknown as Record<string, unknown>), id: n }, r.typeMap);
    if (withoutOffsets(want) !== withoutOffsets(r.btf.type(n))) expect.fail(`type ${id} -> ${n} changed`);
  }
  expect(r.btf.typeCount).toBe(btf.typeCount - merged);
  return merged;
}

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
    const merged = onlyExactDuplicatesMerge(btf);
    expect(merged).toBeGreaterThan(0);
    expect(merged).toBeLessThan(20);
    console.log(`corpus vmlinux: ${merged} exact duplicates merged of ${btf.typeCount - 1} types`);
  }, 60_000);

  it('split BTF (corpus btf_testmod over its base): base untouched, only exact duplicates merge', () => {
    // The module BTF was stacked on a distilled base after pahole's dedup,
    // which left some own types duplicated (typedefs, arrays, prototypes).
    const dir = join(corpusDir, 'cilium-ebpf/btf/testdata');
    const base = btfFromBytes(new Uint8Array(readFileSync(join(dir, 'btf_testmod.btf.base'))));
    const split = btfFromBytes(new Uint8Array(readFileSync(join(dir, 'btf_testmod.btf'))), { base });
    const merged = onlyExactDuplicatesMerge(split);
    expect(merged).toBeGreaterThan(0);
    const r = dedupBtf(split);
    expect(r.btf.base).toBe(base);
    expect(r.btf.firstId).toBe(split.firstId);
    for (let id = 0; id < split.firstId; id++) expect(r.typeMap[id]).toBe(id);
    // Own strings equal to base strings point into the base; the own table
    // holds only the rest.
    const own = new Set(strings(r.btf));
    for (const s of strings(base)) expect(own.has(s)).toBe(false);
    for (const t of r.btf) expect(r.btf.str(t.nameOff)).toBe(t.name);
  });

  it('vmlinux types twice fold back onto the first copy, as bpftool gen object does', () => {
    // VARs and DATASECs are left out: libbpf never merges them (see the
    // hand-built tests), and its linker, the oracle here, drops global VARs
    // without ELF symbols. Kernel FUNCs are all static and pass through.
    const src = btfFromBytes(new Uint8Array(readFileSync(hasVmlinux ? vmlinuxPath : gzPath)));
    const kept = src.types.filter((t) => t.kind !== Kind.Var && t.kind !== Kind.Datasec);
    const newId = new Uint32Array(src.typeCount);
    kept.forEach((t, i) => (newId[t.id] = i + 1));
    const once = kept.map((t, i) => renumbered(t, i + 1, newId));
    const n = once.length;
    const doubled = new Btf({ types: [...once, ...once.map((t) => shiftIds(t, n))], strings: src.strings, littleEndian: src.littleEndian });
    const r = dedupBtf(doubled);
    expect(r.btf.typeCount).toBe(n + 1);
    for (let id = 1; id <= n; id++) {
      if (r.typeMap[id] !== id || r.typeMap[id + n] !== id) expect.fail(`type ${id} maps to ${r.typeMap[id]}, its copy to ${r.typeMap[id + n]}`);
      if (withoutOffsets(once[id - 1]) !== withoutOffsets(r.btf.type(id))) expect.fail(`type ${id} changed`);
    }
    if (bpftool === undefined) {
      console.warn('vmlinux twice: bpftool not found, the comparison with libbpf is skipped');
      return;
    }
    // libbpf's verdict on the same input: link an object holding only this
    // .BTF. With no .BTF.ext and no DATASEC the linker adds strings in type
    // order, which is what our default string pass produces, so the bytes
    // must match as they are.
    const dir = mkdtempSync(join(tmpdir(), 'bpfkit-dedup-vmlinux-'));
    try {
      const obj = join(dir, 'vmlinux-twice.o');
      writeFileSync(obj, btfOnlyObject(encodeBtf(doubled), src.littleEndian));
      const out = join(dir, 'out.o');
      execFileSync(bpftool, ['gen', 'object', out, obj], { stdio: 'pipe' });
      const theirs = findSection(readElf(new Uint8Array(readFileSync(out))), '.BTF')!.data;
      if (!Buffer.from(encodeBtf(r.btf)).equals(Buffer.from(theirs))) {
        expect(formatRaw(r.btf)).toBe(formatRaw(btfFromBytes(theirs)));
        expect.fail('same dump, different bytes');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

/** A copy of `t` with id `id` and every reference passed through `newId`. */
function renumbered(t: AnyBtfType, id: number, newId: Uint32Array): AnyBtfType {
  const c = remapped(structuredClone(t) as unknown as Record<string, unknown>, newId) as AnyBtfType;
  c.id = id;
  return c;
}
