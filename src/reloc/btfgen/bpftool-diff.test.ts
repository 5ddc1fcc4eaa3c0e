/**
 * Differential test against bpftool 7.1 (`gen min_core_btf`): for every
 * little-endian object with CO-RE records (bpftool cannot read the
 * `.BTF.ext` of big-endian ones), against the running kernel's BTF and the
 * corpus vmlinux, bpftool's output file and ours must be byte-identical;
 * where bpftool refuses (it fails on a relocation libbpf cannot resolve),
 * we must throw too. Also: all objects at once into one file, and ELF
 * targets (our own kernel/prog pair in testdata/btfgen, cilium's
 * relocs_read pair), one of them big-endian: bpftool writes native
 * (little-endian) BTF, so our result is compared encoded little-endian.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeBtf, formatRaw, loadBtf, parseBtf, type Btf } from '../../btf/index.js';
import { BpfkitError } from '../../internal/errors.js';
import { corpusDir, label, testdataDir, which } from '../../test-support/corpus.js';
import { coreObjects, kernelTargets } from './cases.js';
import { minCoreBtf, readBtfgenObject } from './index.js';

const bpftool = which('bpftool');
if (bpftool === undefined) console.warn('SKIP btfgen differential test against bpftool: bpftool is not installed');

const work = mkdtempSync(join(tmpdir(), 'bpfkit-btfgen-diff-'));
const { targets, cleanup } = kernelTargets();
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  cleanup();
});

const targetCache = new Map<string, Btf>();
function target(path: string): Btf {
  let b = targetCache.get(path);
  if (b === undefined) targetCache.set(path, (b = loadBtf(path)));
  return b;
}

let outSeq = 0;
/** bpftool's output bytes, or undefined when it refuses. */
function bpftoolMinCoreBtf(input: string, objs: string[]): Buffer | undefined {
  const out = join(work, `out${outSeq++}.btf`);
  const r = spawnSync(bpftool!, ['gen', 'min_core_btf', input, out, ...objs], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  return readFileSync(out);
}

/** Compare with bpftool; returns what happened, for the counts below. */
function compare(input: string, objs: string[]): 'same' | 'both-refused' {
  const want = bpftoolMinCoreBtf(input, objs);
  const run = () => minCoreBtf(target(input), objs.map(readBtfgenObject));
  if (want === undefined) {
    expect(run).toThrow(BpfkitError);
    return 'both-refused';
  }
  const got = Buffer.from(encodeBtf(run(), { littleEndian: true }));
  if (!got.equals(want)) {
    // show the first differing type rather than a byte offset
    expect(formatRaw(parseBtf(got))).toBe(formatRaw(parseBtf(new Uint8Array(want))));
    expect(got.toString('hex')).toBe(want.toString('hex'));
  }
  return 'same';
}

const littleEndian = coreObjects().filter((o) => o.littleEndian);

describe.skipIf(bpftool === undefined)('gen min_core_btf: byte-identical to bpftool 7.1', () => {
  it('found the inputs', () => {
    // the corpus and testdata objects with CO-RE records (see cases.ts)
    expect(littleEndian.length).toBeGreaterThanOrEqual(12);
    expect(targets.length).toBe(2);
  });

  for (const t of targets) {
    describe(t.name, () => {
      it.each(littleEndian.map((o) => [label(o.path), o.path]))('%s', (_name, path) => {
        compare(t.path, [path]);
      });

      it('all objects bpftool accepts, into one file', () => {
        const accepted = littleEndian.map((o) => o.path).filter((p) => bpftoolMinCoreBtf(t.path, [p]) !== undefined);
        expect(accepted.length).toBeGreaterThanOrEqual(10);
        expect(compare(t.path, accepted)).toBe('same');
      });
    });
  }

  const btfgen = join(testdataDir, 'btfgen');
  const cilium = join(corpusDir, 'cilium-ebpf', 'btf', 'testdata');
  it.each<[string, string, string, string]>([
    ['testdata/btfgen kernel (LE) for prog', join(btfgen, 'kernel.bpfel.o'), join(btfgen, 'prog.bpfel.o'), 'same'],
    ['testdata/btfgen kernel (BE) for prog', join(btfgen, 'kernel.bpfeb.o'), join(btfgen, 'prog.bpfel.o'), 'same'],
    ['cilium relocs_read_tgt for relocs_read', join(cilium, 'relocs_read_tgt-el.elf'), join(cilium, 'relocs_read-el.elf'), 'same'],
    // local.bpf.c has candidates that disagree ("field offset ambiguity")
    ['testdata/core target for local', join(testdataDir, 'core', 'target.bpfel.o'), join(testdataDir, 'core', 'local.bpfel.o'), 'both-refused'],
    // edge.bpf.c: FWD and TYPE_TAG reached by type-based marking are refused
    ...(
      [
        [1, 'both-refused'],
        [2, 'same'],
        [3, 'both-refused'],
        [4, 'same'],
        [5, 'both-refused'],
      ] as const
    ).map(([n, outcome]): [string, string, string, string] => [
      `testdata/btfgen kernel for edge${n}`,
      join(btfgen, 'kernel.bpfel.o'),
      join(btfgen, `edge${n}.bpfel.o`),
      outcome,
    ]),
  ])('ELF target: %s', (_name, input, obj, outcome) => {
    expect(compare(input, [obj])).toBe(outcome);
  });

  it('keeps what prog.bpf.c says it should (non-empty, fewer types than the target)', () => {
    const full = target(join(btfgen, 'kernel.bpfel.o'));
    const min = minCoreBtf(full, [readBtfgenObject(join(btfgen, 'prog.bpfel.o'))]);
    const knode = min.find('knode')!;
    // id, kind, level, st, the anonymous union, hist, parent, state, name, pos
    // (of 14 in kernel.bpf.c): flags, link, handler, big, unused_tail dropped
    expect(knode.kind === 4 && knode.members.map((m) => m.name)).toEqual(['id', 'kind', 'level', 'st', '', 'hist', 'parent', 'state', 'name', 'pos']);
    expect(knode.kflag).toBe(true);
    const klist = min.find('klist')!;
    expect(klist.kind === 4 && klist.members.length).toBe(0);
    expect(min.typeCount).toBeLessThan(full.typeCount);
  });
});
