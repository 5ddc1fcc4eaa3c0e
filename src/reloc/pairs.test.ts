/**
 * Local/target pairs: objects whose BTF describes changed layouts of the
 * same types. Expected values come from the C sources (testdata/core) or
 * from direct lookups in the target BTF and a simulation of the bitfield
 * read (cilium/ebpf's relocs_read pair), not from the relocator.
 */
import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { INT_SIGNED, Kind, loadBtf, sizeOf, skipModsAndTypedefs, type Btf, type CompositeType } from '../btf/index.js';
import { BPF_JMP, BPF_CALL, BPF_W, LD_IMM64, decodeInsns, encodeInsns, insnSizeField, type Insn } from '../insn/index.js';
import { openObjectFile, type BpfObject } from '../object/index.js';
import { corpusDir, testdataDir } from '../test-support/corpus.js';
import { POISON_IMM, relocateObject, type CoreRelocResult } from './index.js';

const CORE = join(testdataDir, 'core');

function pair(order: 'el' | 'eb'): { local: BpfObject; target: BpfObject } {
  return {
    local: openObjectFile(join(CORE, `local.bpf${order}.o`)),
    target: openObjectFile(join(CORE, `target.bpf${order}.o`)),
  };
}

function isPoison(i: Insn): boolean {
  return i.code === (BPF_JMP | BPF_CALL) && i.imm === POISON_IMM && i.src === 0 && i.dst === 0 && i.off === 0;
}

/** Expected results for testdata/core/local.bpf.c against target.bpf.c, by
 * relo index (the order of the records, i.e. of the source). Offsets are
 * the ones noted in target.bpf.c. */
type Expect = bigint | 'poison' | RegExp;
function expectations(order: 'el' | 'eb', targetRecId: number): Map<number, [string, Expect]> {
  const le = order === 'el';
  const e: [string, Expect][] = [
    ['byte_off', 36n], // r->id
    ['byte_off', 28n], // r->usmall (u16 -> u32, load widened)
    ['byte_off', 8n], // r->pt.y: pt at 8, y first
    ['byte_off', 48n], // r->arr[2]: 40 + 2*4
    ['byte_off', 72n], // r->inner_b: through anon union and struct
    ['byte_off', 81n], // r->name[1]
    ['byte_off', 100n], // r->tail[3]: flexible array at 88
    ['byte_off', 32n], // rec___v2->ident
    ['field_exists', 0n], // removed
    ['byte_off', 'poison'], // r->removed (guarded)
    ['byte_off', 'poison'], // r->small: short -> int is a signed size change
    ['byte_sz', 4n], // small
    ['signed', 1n], // small
    ['signed', 0n], // usmall
    ['byte_off', 8n], // &r->pt
    // bf (target packed): level bits 6..10 of u8 -> widened to a u16 at 0
    ['byte_off', 0n],
    ['byte_sz', 2n],
    ['lshift_u64', le ? 53n : 54n], // LE 64-(6+5), BE (8-2)*8+6
    ['rshift_u64', 59n],
    // flag: bit 11, u8 at byte 1
    ['byte_off', 1n],
    ['byte_sz', 1n],
    ['lshift_u64', le ? 60n : 59n], // LE 64-(11+1-8), BE 7*8+3
    ['rshift_u64', 63n],
    // delta: int bits 12..16, int at 0
    ['byte_off', 0n],
    ['byte_sz', 4n],
    ['lshift_u64', le ? 47n : 44n], // LE 64-17, BE 4*8+12
    ['rshift_u64', 59n],
    ['signed', 1n],
    // wide: u64 bits 17..56
    ['byte_off', 0n],
    ['byte_sz', 8n],
    ['lshift_u64', le ? 7n : 17n],
    ['rshift_u64', 24n],
    ['type_exists', 1n], // struct rec
    ['type_size', 88n],
    ['type_exists', 0n], // struct gone
    ['type_size', 0n],
    ['type_matches', 1n], // point: all local members exist with matching types
    ['type_matches', 0n], // rec: `removed` is missing
    ['target_type_id', BigInt(targetRecId)],
    ['local_type_id', -1n], // checked separately
    ['enumval_exists', 1n], // GREEN
    ['enumval_value', 30n],
    ['enumval_exists', 0n], // PURPLE
    ['enumval_value', 'poison'],
    ['enumval_value', 5n], // BIG_A (ENUM64)
    ['enumval_value', 0x300000000n], // BIG_B
  ];
  return new Map(e.map((x, i) => [i, x]));
}

describe('testdata/core local/target pair', () => {
  for (const order of ['el', 'eb'] as const) {
    test(`bpf${order}`, () => {
      const { local, target } = pair(order);
      const tbtf = target.btf!;
      const recId = tbtf.idsByName('rec').find((id) => tbtf.type(id)!.kind === Kind.Struct)!;
      const { results, insnsBySection } = relocateObject(local, tbtf, { onError: 'collect' });
      const pairs = results.filter((r) => r.program === 'core_pairs');
      const exp = expectations(order, recId);
      expect(pairs.length).toBe(exp.size);
      const progSec = local.programs.find((p) => p.name === 'core_pairs')!;
      const insns = insnsBySection.get(progSec.sectionIndex)!;
      for (const r of pairs) {
        const [kind, want] = exp.get(r.relo)!;
        const what = `relo #${r.relo} ${r.localSpec} -> ${r.candidate}`;
        expect(r.kind, what).toBe(kind);
        expect(r.error, what).toBeUndefined();
        const insn = insns[progSec.insnOffset + r.insn];
        if (want === 'poison') {
          expect(r.poisoned, what).toBe(true);
          expect(isPoison(insn), what).toBe(true);
        } else if (kind === 'local_type_id') {
          expect(r.value).toBe(r.orig);
          expect(local.btf!.type(Number(r.value))!.name).toBe('rec');
        } else {
          expect(r.poisoned, what).toBe(false);
          expect(r.value, what).toBe(want);
        }
      }
      // instruction effects
      const at = (relo: number): Insn => insns[progSec.insnOffset + pairs[relo].insn];
      expect(at(0).off).toBe(36);
      expect(insnSizeField(at(1).code)).toBe(BPF_W); // u16 load widened to u32
      expect(pairs[1].memSize).toEqual([2, 4]);
      expect(pairs[10].reason).toMatch(/size change/);
      // a poisoned ld_imm64 becomes two poison calls: the count stays
      const ld = pairs[43];
      expect(isPoison(insns[progSec.insnOffset + ld.insn])).toBe(true);
      expect(isPoison(insns[progSec.insnOffset + ld.insn + 1])).toBe(true);
      const ldv = insns[progSec.insnOffset + pairs[45].insn];
      expect(ldv.code).toBe(LD_IMM64);
      expect(ldv.imm64).toBe(0x300000000n);
      expect(insns[progSec.insnOffset + pairs[45].insn + 1].imm).toBe(3);
      expect(insns.length).toBe(local.elf.sections[progSec.sectionIndex].data.byteLength / 8);
      // the patched section encodes to the same size and decodes back
      const bytes = encodeInsns(insns, local.littleEndian);
      expect(bytes.byteLength).toBe(local.elf.sections[progSec.sectionIndex].data.byteLength);
      const again = decodeInsns(bytes, local.littleEndian, { allowUnknown: true });
      expect(again[progSec.insnOffset + pairs[0].insn].off).toBe(36);
      expect(isPoison(again[progSec.insnOffset + ld.insn + 1])).toBe(true);

      // flavors: same/same___b agree (both at 8); amb/amb___a disagree
      const fl = results.filter((r) => r.program === 'core_flavors');
      expect(fl[0].value).toBe(8n);
      expect(fl[0].matched).toBe(2);
      expect(fl[1].error?.message).toMatch(/relo #1: field offset ambiguity: 64 != 0/);
      expect(fl[1].error?.symbol).toBe('core_flavors');
      expect(fl[1].error?.insn).toBe(fl[1].insn);
      // and by default the ambiguity is fatal, as in libbpf
      expect(() => relocateObject(local, tbtf)).toThrow(/core_flavors.*relo #1: field offset ambiguity/);
    });
  }
});

// ---- cilium/ebpf relocs_read: semantic checks against the target BTF ----

const CIL = join(corpusDir, 'cilium-ebpf', 'btf', 'testdata');

function member(btf: Btf, structName: string, name: string): { bitOff: number; bits: number; typeId: number; bitfield: boolean } | undefined {
  const t = btf.find(structName, Kind.Struct) as CompositeType | undefined;
  const m = t?.members.find((x) => x.name === name);
  if (m === undefined) return undefined;
  const typeId = skipModsAndTypedefs(btf, m.type);
  return { bitOff: m.bitsOffset, bits: m.bitfieldSize !== 0 ? m.bitfieldSize : sizeOf(btf, typeId) * 8, typeId, bitfield: m.bitfieldSize !== 0 };
}

/** Write `bits` bits of `v` at bit offset `off` the way a C compiler lays
 * out a bitfield in that byte order. */
function writeBits(buf: Uint8Array, off: number, bits: number, v: bigint, le: boolean): void {
  for (let i = 0; i < bits; i++) {
    const bit = (v >> BigInt(i)) & 1n;
    if (bit === 0n) continue;
    if (le) {
      const p = off + i; // LSB-first numbering
      buf[p >> 3] |= 1 << (p & 7);
    } else {
      const p = off + bits - 1 - i; // MSB-first numbering
      buf[p >> 3] |= 0x80 >> (p & 7);
    }
  }
}

function load(buf: Uint8Array, off: number, size: number, le: boolean): bigint {
  let v = 0n;
  for (let i = 0; i < size; i++) {
    const b = BigInt(buf[off + i]);
    v |= le ? b << BigInt(8 * i) : b << BigInt(8 * (size - 1 - i));
  }
  return v;
}

/**
 * Check relocation results against direct lookups in the target BTF: for a
 * result whose target spec is `struct S.m`, byte_off of a plain member is
 * its bit offset / 8, byte_sz its type's size, signed its type's
 * signedness, rshift 64 - width; for bitfields the (byte_off, byte_sz,
 * lshift, rshift) group must extract the field from memory the way
 * BPF_CORE_READ_BITFIELD does. Results without a target: exists kinds are
 * 0, type_size 0, the rest poisoned. Returns the number of checks.
 */
function checkAgainstTarget(results: CoreRelocResult[], tbtf: Btf, le: boolean): number {
  const byField = new Map<string, Map<string, CoreRelocResult>>();
  let checked = 0;
  for (const r of results) {
    expect(r.error, `${r.program} relo #${r.relo}`).toBeUndefined();
    if (r.candidate === undefined) {
      if (r.kind === 'local_type_id') continue;
      if (/exists|type_size|type_matches|target_type_id/.test(r.kind)) expect(r.value, r.localSpec).toBe(0n);
      else expect(r.poisoned, r.localSpec).toBe(true);
      checked++;
      continue;
    }
    const m = /\] (?:struct|union) (\w+)\.(\w+) \(\d+:\d+ @/.exec(r.candidate);
    if (m === null) {
      const root = /^<\w+> \[(\d+)\] (\w+) (\w+)/.exec(r.candidate)!;
      const id = Number(root[1]);
      if (r.kind === 'type_size') expect(r.value).toBe(BigInt(sizeOf(tbtf, id)));
      if (r.kind === 'target_type_id') expect(r.value).toBe(BigInt(id));
      if (r.kind === 'type_exists' || r.kind === 'type_matches') expect(r.value).toBe(1n);
      if (r.kind === 'enumval_value') {
        const name = /::(\w+) = /.exec(r.candidate)![1];
        const t = tbtf.type(id)!;
        if (t.kind === Kind.Enum) expect(r.value).toBe(BigInt.asUintN(64, BigInt(t.values.find((v) => v.name === name)!.value | 0)));
        else if (t.kind === Kind.Enum64) expect(r.value).toBe(BigInt.asUintN(64, t.values.find((v) => v.name === name)!.value));
      }
      if (r.kind === 'enumval_exists') expect(r.value).toBe(1n);
      checked++;
      continue;
    }
    const key = `${m[1]}.${m[2]}`;
    if (!byField.has(key)) byField.set(key, new Map());
    byField.get(key)!.set(r.kind, r);
  }
  for (const [key, kinds] of byField) {
    const [st, field] = key.split('.');
    const tm = member(tbtf, st, field)!;
    expect(tm, key).toBeDefined();
    const t = tbtf.type(tm.typeId)!;
    const signed = (t.kind === Kind.Int && (t.encoding & INT_SIGNED) !== 0) || ((t.kind === Kind.Enum || t.kind === Kind.Enum64) && t.kflag);
    if (kinds.has('signed')) expect(kinds.get('signed')!.value, key).toBe(signed ? 1n : 0n);
    if (kinds.has('rshift_u64')) expect(kinds.get('rshift_u64')!.value, key).toBe(BigInt(64 - tm.bits));
    if (kinds.has('field_exists')) expect(kinds.get('field_exists')!.value, key).toBe(1n);
    const off = kinds.get('byte_off');
    const sz = kinds.get('byte_sz');
    if (!tm.bitfield) {
      if (off !== undefined) expect(off.value, key).toBe(BigInt(tm.bitOff / 8));
      if (sz !== undefined) expect(sz.value, key).toBe(BigInt(tm.bits / 8));
      checked++;
      continue;
    }
    if (off === undefined || sz === undefined || !kinds.has('lshift_u64')) {
      checked++;
      continue;
    }
    const byteOff = Number(off.value);
    const byteSz = Number(sz.value);
    expect([1, 2, 4, 8]).toContain(byteSz);
    expect(byteOff % byteSz).toBe(0);
    expect(byteOff * 8 <= tm.bitOff && tm.bitOff + tm.bits <= (byteOff + byteSz) * 8, key).toBe(true);
    // read the field as BPF_CORE_READ_BITFIELD does: load byte_sz bytes at
    // byte_off into the low bytes of a u64, shift left, shift right
    const size = sizeOf(tbtf, tbtf.find(st, Kind.Struct)!.id);
    const mask = (1n << BigInt(tm.bits)) - 1n;
    for (const pattern of [1n, mask, 0x5a5a5a5a5a5a5a5an & mask]) {
      const buf = new Uint8Array(size + 8);
      writeBits(buf, tm.bitOff, tm.bits, pattern, le);
      let v = load(buf, byteOff, byteSz, le);
      v = BigInt.asUintN(64, v << kinds.get('lshift_u64')!.value);
      v >>= kinds.get('rshift_u64')!.value;
      expect(v, `${key} pattern ${pattern}`).toBe(pattern);
    }
    checked++;
  }
  return checked;
}

describe('cilium relocs_read against relocs_read_tgt', () => {
  for (const order of ['el', 'eb'] as const) {
    const lf = join(CIL, `relocs_read-${order}.elf`);
    test.skipIf(!existsSync(lf))(`-${order}`, () => {
      const local = openObjectFile(lf);
      const target = openObjectFile(join(CIL, `relocs_read_tgt-${order}.elf`));
      const { results } = relocateObject(local, target.btf!);
      expect(results.length).toBe(47);
      // what the target lacks: struct nonexist, enum nonexist_enum
      for (const r of results.filter((x) => x.candidate === undefined)) expect(r.localSpec).toMatch(/nonexist/);
      expect(checkAgainstTarget(results, target.btf!, order === 'el')).toBeGreaterThanOrEqual(10);
    });
  }
});

describe('testdata/obj/core against a real kernel BTF (corpus vmlinux.btf.gz)', () => {
  const vmlinuxGz = join(CIL, 'vmlinux.btf.gz');
  for (const order of ['el', 'eb'] as const) {
    test.skipIf(!existsSync(vmlinuxGz))(`core.bpf${order}.o`, () => {
      const obj = openObjectFile(join(testdataDir, 'obj', `core.bpf${order}.o`));
      const vmlinux = loadBtf(vmlinuxGz);
      const { results } = relocateObject(obj, vmlinux);
      expect(results.length).toBe(obj.coreRelocationCount);
      const n = checkAgainstTarget(results, vmlinux, order === 'el');
      // bpfkit_no_such_type and the ___old flavor have no target: poisoned
      expect(results.filter((r) => r.poisoned).every((r) => /bpfkit_no_such_type|___old|bpfkit_signed64|pid_type___future/.test(r.localSpec!))).toBe(true);
      expect(n).toBeGreaterThanOrEqual(30);
    });
  }
});
