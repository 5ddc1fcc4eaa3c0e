/**
 * Randomized differential test against libbpf 1.1: random multi-unit BTF
 * (testing/random-btf.ts: FWDs next to definitions, same-name structs that
 * differ, duplicates within a unit, enum forward declarations, recursion
 * through pointers) in a .BTF-only object, deduplicated by `bpftool gen
 * object` and by us; the .BTF bytes must be equal. Fixed seeds, so a
 * failure reproduces.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readElf } from '../../elf/read.js';
import { findSection } from '../../elf/sections.js';
import { which } from '../../test-support/corpus.js';
import { formatRaw } from '../dump/raw.js';
import { encodeBtf } from '../encode.js';
import { btfFromBytes } from '../load.js';
import { dedupBtf } from './index.js';
import { btfOnlyObject } from './testing/btf-object.js';
import { btfOf } from './testing/build.js';
import { randomBtf } from './testing/random-btf.js';

const bpftool = existsSync('/usr/sbin/bpftool') ? '/usr/sbin/bpftool' : which('bpftool');
if (bpftool === undefined) console.warn('dedup randomized differential test skipped: bpftool not found');

const SEEDS = 500;

describe.skipIf(bpftool === undefined)('dedup of random BTF matches bpftool gen object', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfkit-dedup-random-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it(`${SEEDS} seeds`, () => {
    let merged = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const input = btfOf(randomBtf(seed));
      // encodeBtf appends names in visit order, which is also the order in
      // which libbpf's linker re-adds them, and our string pass's order.
      const obj = join(dir, `r${seed}.o`);
      writeFileSync(obj, btfOnlyObject(encodeBtf(input), true));
      const out = join(dir, `r${seed}-out.o`);
      execFileSync(bpftool!, ['gen', 'object', out, obj], { stdio: 'pipe' });
      const theirs = findSection(readElf(new Uint8Array(readFileSync(out))), '.BTF')!.data;
      const r = dedupBtf(input);
      if (!Buffer.from(encodeBtf(r.btf)).equals(Buffer.from(theirs))) {
        expect(`seed ${seed}\n${formatRaw(r.btf)}`).toBe(`seed ${seed}\n${formatRaw(btfFromBytes(theirs))}`);
        expect.fail(`seed ${seed}: same dump, different bytes`);
      }
      merged += input.typeCount - r.btf.typeCount;
    }
    // The generator must actually produce duplicates for this to mean much.
    expect(merged).toBeGreaterThan(SEEDS * 5);
    console.log(`random dedup: ${SEEDS} inputs byte-identical with bpftool, ${merged} types merged in all`);
  }, 120_000);
});
