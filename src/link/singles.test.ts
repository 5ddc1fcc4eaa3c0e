/**
 * Every object of the corpus and testdata linked on its own, against
 * `bpftool gen object OUT IN` of the same object: both refuse, or both
 * link to the same symbols, bytes, relocations and BTF (up to id order).
 * bpftool 7.1 links only little-endian objects on this host; a big-endian
 * object's output is compared with bpftool's output for its little-endian
 * twin (same C source), minus the bytes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BpfkitError } from '../internal/errors.js';
import { allObjects, label, which } from '../test-support/corpus.js';
import { Linker } from './index.js';
import { btfOf, canonicalBtf, canonicalRelocations, canonicalSymbols, dataSections, datasecVsSymbols, elfOf } from './test-helpers.js';

const bpftool = which('bpftool');
if (bpftool === undefined) console.warn('skipping single-object differential: bpftool not found');
const tmp = mkdtempSync('/tmp/bpfkit-link-single-');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const bigEndian = (f: string) => /-eb\.elf$|_bpfeb\.o$|\.bpfeb\.o$/.test(f);
const twin = (f: string) => f.replace(/-eb\.elf$/, '-el.elf').replace(/_bpfeb\.o$/, '_bpfel.o').replace(/\.bpfeb\.o$/, '.bpfel.o');

function ours(f: string): Uint8Array | BpfkitError {
  try {
    const l = new Linker();
    l.addFile(f);
    return l.finalize();
  } catch (e) {
    if (e instanceof BpfkitError) return e;
    throw e;
  }
}

function theirs(f: string, out: string): { ok: boolean; log: string } {
  const r = spawnSync(bpftool!, ['gen', 'object', out, f], { encoding: 'utf8' });
  return { ok: r.status === 0, log: r.stderr };
}

describe.skipIf(bpftool === undefined)('one object linked alone: bpfkit vs bpftool 7.1', () => {
  const files = allObjects();
  it('covers the corpus', () => expect(files.length).toBeGreaterThan(50));
  for (const f of files) {
    it(label(f), () => {
      const mine = ours(f);
      const src = bigEndian(f) ? twin(f) : f;
      const out = join(tmp, 'ref.o');
      const ref = theirs(src, out);
      if (!ref.ok) {
        expect(mine, `bpftool refuses: ${ref.log.trim().split('\n').pop()}`).toBeInstanceOf(BpfkitError);
        return;
      }
      expect(mine, String(mine)).toBeInstanceOf(Uint8Array);
      const a = elfOf(mine as Uint8Array, 'bpfkit');
      const b = elfOf(new Uint8Array(readFileSync(out)), 'bpftool');
      // (clang's code for the two byte orders can differ in size)
      const shape = (l: string[]) => (bigEndian(f) ? l.map((x) => x.replace(/ value=\d+ size=\d+$/, '')) : l);
      expect(shape(canonicalSymbols(a))).toEqual(shape(canonicalSymbols(b)));
      // Alone, an object's relocations carry over unchanged (clang's code for
      // the two byte orders can differ, so not compared with the twin's).
      const input = elfOf(new Uint8Array(readFileSync(f)), f);
      const kept = canonicalRelocations(input).filter((r) => !/^(\.BTF|\.debug)/.test(r));
      expect(canonicalRelocations(a)).toEqual(kept);
      if (!bigEndian(f)) expect(canonicalRelocations(a)).toEqual(canonicalRelocations(b));
      if (!bigEndian(f)) expect(dataSections(a)).toEqual(dataSections(b));
      const hasBtf = (e: typeof a) => e.sections.some((s) => s.name === '.BTF');
      expect(hasBtf(a)).toBe(hasBtf(b));
      if (hasBtf(a)) {
        expect(canonicalBtf(btfOf(a), { datasecOffsets: false })).toEqual(canonicalBtf(btfOf(b), { datasecOffsets: false }));
        expect(datasecVsSymbols(btfOf(a), b)).toEqual([]);
      }
    });
  }
});
