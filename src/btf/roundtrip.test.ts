/**
 * decode → encode is the identity for every .BTF, .BTF.ext and raw BTF blob
 * we can find: corpus and testdata objects (both byte orders), the gzip'd
 * vmlinux blob, the split module BTF and the running kernel's BTF. The BTF is
 * re-encoded from the type model (every type decoded), not from the input
 * bytes, so the test exercises the model and the encoder.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readElf } from '../elf/read.js';
import { findSection } from '../elf/sections.js';
import { allObjects, corpusDir, hasVmlinux, label, vmlinuxPath } from '../test-support/corpus.js';
import { encodeBtf, encodeBtfExt, parseBtf, parseBtfExt } from './index.js';

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

describe('BTF and .BTF.ext round trip', () => {
  let btfCount = 0;
  let extCount = 0;
  for (const f of allObjects()) {
    it(label(f), () => {
      const elf = readElf(new Uint8Array(readFileSync(f)), { file: f });
      const sec = findSection(elf, '.BTF');
      if (sec === undefined) return;
      const btf = parseBtf(sec.data, { file: f });
      const model = btf.types; // decode everything; the encoder then works from the model alone
      expect(btf.wire).toBeUndefined();
      expect(model.length).toBeGreaterThan(0);
      expect(sameBytes(encodeBtf(btf), sec.data)).toBe(true);
      btfCount++;
      // The other byte order encodes and reads back to the same model.
      const swapped = encodeBtf(btf, { littleEndian: !btf.littleEndian });
      const back = parseBtf(swapped);
      expect(back.littleEndian).toBe(!btf.littleEndian);
      expect(back.types).toEqual(model);
      const ext = findSection(elf, '.BTF.ext');
      if (ext !== undefined) {
        const parsed = parseBtfExt(ext.data, { btf, file: f });
        expect(sameBytes(encodeBtfExt(parsed), ext.data)).toBe(true);
        const extSwapped = parseBtfExt(encodeBtfExt(parsed, { littleEndian: !parsed.littleEndian }), { btf: back });
        expect(extSwapped.funcInfo).toEqual(parsed.funcInfo);
        expect(extSwapped.lineInfo).toEqual(parsed.lineInfo);
        expect(extSwapped.coreRelo).toEqual(parsed.coreRelo);
        extCount++;
      }
    });
  }
  it('covered the corpus', () => {
    console.log(`round trip: ${btfCount} .BTF and ${extCount} .BTF.ext sections`);
    expect(btfCount).toBeGreaterThan(90);
    expect(extCount).toBeGreaterThan(90);
  });

  it('gzip-compressed vmlinux blob', () => {
    const raw = gunzipSync(readFileSync(join(corpusDir, 'cilium-ebpf/btf/testdata/vmlinux.btf.gz')));
    const btf = parseBtf(raw);
    void btf.types;
    expect(sameBytes(encodeBtf(btf), raw)).toBe(true);
  });

  it('split BTF on its base', () => {
    const d = join(corpusDir, 'cilium-ebpf/btf/testdata');
    const baseBytes = readFileSync(join(d, 'btf_testmod.btf.base'));
    const modBytes = readFileSync(join(d, 'btf_testmod.btf'));
    const base = parseBtf(baseBytes);
    const mod = parseBtf(modBytes, { base });
    expect(mod.firstId).toBe(base.typeCount);
    expect(mod.strOffsetBase).toBe(base.strings.size);
    void mod.types;
    expect(sameBytes(encodeBtf(mod), modBytes)).toBe(true);
    void base.types;
    expect(sameBytes(encodeBtf(base), baseBytes)).toBe(true);
  });

  it.skipIf(!hasVmlinux)('the running kernel: /sys/kernel/btf/vmlinux', () => {
    const raw = readFileSync(vmlinuxPath);
    const btf = parseBtf(raw);
    expect(btf.ownCount).toBeGreaterThan(10000);
    void btf.types;
    expect(sameBytes(encodeBtf(btf), raw)).toBe(true);
  });
});
