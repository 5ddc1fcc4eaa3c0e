/**
 * The point of a minimized BTF: relocating an object against it must give
 * the same decisions as against the full BTF it came from. For every object
 * with CO-RE records, in both byte orders, against both kernel BTFs and the
 * ELF targets made for it, each relocation's kind, original and new value,
 * poisoning, failure, and target spec (type names, member path and bit
 * offset; ids and member indices change by design) must agree. The minimized
 * BTF is encoded and parsed back first, so the bytes are what is tested.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeBtf, loadBtf, parseBtf, type Btf } from '../../btf/index.js';
import { BpfkitError } from '../../internal/errors.js';
import { openObjectFile, type BpfObject } from '../../object/index.js';
import { corpusDir, label, testdataDir } from '../../test-support/corpus.js';
import { relocateObject, type CoreRelocResult } from '../relocate.js';
import { coreObjects, kernelTargets } from './cases.js';
import { minCoreBtf } from './index.js';

const { targets, cleanup } = kernelTargets();
afterAll(cleanup);

const targetCache = new Map<string, Btf>();
function target(path: string): Btf {
  let b = targetCache.get(path);
  if (b === undefined) targetCache.set(path, (b = loadBtf(path)));
  return b;
}

/** Spec text without type ids and raw member indices, which the
 * minimized BTF renumbers (dropped members shift the indices). */
function portableSpec(s: string | undefined): string | undefined {
  return s?.replace(/\[\d+\]/g, '[]').replace(/\((?:\d+:)*\d+ @/, '(@');
}

/** target_type_id yields an id of the target, which the minimized BTF
 * renumbers: compare the kind and name of the type it names instead. */
function value(r: CoreRelocResult, btf: Btf): bigint | string {
  if (r.kind !== 'target_type_id' || r.value === 0n || r.error !== undefined) return r.value;
  const t = btf.type(Number(r.value))!;
  return `${t.kind} ${t.name}`;
}

function decisions(results: CoreRelocResult[], btf: Btf) {
  return results.map((r) => ({
    at: `${r.section}#${r.relo} ${r.program}+${r.insn}`,
    kind: r.kind,
    orig: r.orig,
    value: value(r, btf),
    poisoned: r.poisoned,
    failed: r.error !== undefined,
    target: portableSpec(r.candidate),
    memSize: r.memSize,
  }));
}

/** Open every object the object model accepts (some corpus objects are
 * meant to be refused at open). */
const objects: { path: string; littleEndian: boolean; obj: BpfObject }[] = [];
for (const o of coreObjects()) {
  try {
    objects.push({ path: o.path, littleEndian: o.littleEndian, obj: openObjectFile(o.path) });
  } catch (e) {
    if (!(e instanceof BpfkitError)) throw e;
  }
}

let compared = 0;
let relocations = 0;
let refused = 0;

/** Relocate against full and minimized; 'refused' when generation fails
 * (a relocation libbpf cannot resolve at all, as bpftool does). */
function check(full: Btf, obj: BpfObject): void {
  let min: Btf;
  try {
    min = parseBtf(encodeBtf(minCoreBtf(full, [obj])));
  } catch (e) {
    expect(e).toBeInstanceOf(BpfkitError);
    // relocating against the full BTF must fail somewhere too
    expect(relocateObject(obj, full, { onError: 'collect' }).results.some((r) => r.error !== undefined)).toBe(true);
    refused++;
    return;
  }
  const want = decisions(relocateObject(obj, full, { onError: 'collect' }).results, full);
  const got = decisions(relocateObject(obj, min, { onError: 'collect' }).results, min);
  expect(got).toEqual(want);
  compared++;
  relocations += want.length;
}

describe('relocating against the minimized BTF decides as against the full one', () => {
  it('found the inputs', () => {
    expect(objects.filter((o) => o.littleEndian).length).toBeGreaterThanOrEqual(10);
    expect(objects.filter((o) => !o.littleEndian).length).toBeGreaterThanOrEqual(10);
  });

  for (const t of targets) {
    describe(t.name, () => {
      it.each(objects.map((o) => [`${label(o.path)}`, o.obj]))('%s', (_name, obj) => {
        check(target(t.path), obj as BpfObject);
      });
    });
  }

  const btfgen = join(testdataDir, 'btfgen');
  const cilium = join(corpusDir, 'cilium-ebpf', 'btf', 'testdata');
  const pairs: [string, string][] = [];
  for (const [tl, tb, ol, ob] of [
    ['kernel.bpfel.o', 'kernel.bpfeb.o', 'prog.bpfel.o', 'prog.bpfeb.o'].map((f) => join(btfgen, f)),
    ['relocs_read_tgt-el.elf', 'relocs_read_tgt-eb.elf', 'relocs_read-el.elf', 'relocs_read-eb.elf'].map((f) => join(cilium, f)),
  ]) {
    // every combination of byte orders, target and object
    pairs.push([tl, ol], [tl, ob], [tb, ol], [tb, ob]);
  }
  it.each(pairs.map(([t, o]) => [`${label(o)} against ${label(t)}`, t, o]))('%s', (_name, t, o) => {
    check(target(t), openObjectFile(o));
  });

  it('candidates that disagree: generation fails where relocation fails', () => {
    const core = join(testdataDir, 'core');
    const before = refused;
    check(target(join(core, 'target.bpfel.o')), openObjectFile(join(core, 'local.bpfel.o')));
    expect(refused).toBe(before + 1);
  });

  it('compared enough', () => {
    // runs last (vitest keeps declaration order within a file)
    console.log(`btfgen decisions: ${compared} object/target cases, ${relocations} relocations compared, ${refused} refused by both`);
    expect(compared).toBeGreaterThanOrEqual(40);
    expect(relocations).toBeGreaterThan(1000);
  });
});
