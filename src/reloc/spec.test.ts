import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { BpfkitError } from '../internal/errors.js';
import { Kind } from '../btf/index.js';
import { openObjectFile } from '../object/index.js';
import { testdataDir } from '../test-support/corpus.js';
import { essentialNameLen, formatSpec, parseAccessString, parseSpec, relocateObject, SpecError, typesAreCompat, typesMatch, fieldsAreCompat } from './index.js';

const localFile = join(testdataDir, 'core', 'local.bpfel.o');
const targetFile = join(testdataDir, 'core', 'target.bpfel.o');

describe('essential names', () => {
  test.each([
    ['task_struct', 11],
    ['task_struct___v2', 11],
    ['task_struct___old___x', 17],
    ['a___b', 1],
    ['___x', 4], // no X before the separator
    ['a____b', 6], // four underscores: Y would be '_'
    ['a___', 4],
    ['', 0],
  ])('%s', (name, len) => expect(essentialNameLen(name)).toBe(len));
});

describe('access strings', () => {
  test('parse', () => {
    expect(parseAccessString('0')).toEqual([0]);
    expect(parseAccessString('0:1:22:3')).toEqual([0, 1, 22, 3]);
  });
  test.each(['', ':0', '0:x', 'a', '0::1'])('malformed %j', (s) => {
    expect(() => parseAccessString(s)).toThrow(SpecError);
  });
  test('too long', () => {
    expect(() => parseAccessString(Array(65).fill('0').join(':'))).toThrow(/more than 64/);
  });
});

describe('local specs', () => {
  const obj = openObjectFile(localFile);
  const btf = obj.btf!;
  const rec = btf.find('rec', Kind.Struct)!.id;
  test('field spec through an anonymous struct', () => {
    const s = parseSpec(btf, rec, '0:6:1', 0);
    expect(s.bitOffset).toBe(44 * 8);
    expect(s.raw).toEqual([0, 6, 1]);
    expect(s.access.map((a) => a.name)).toEqual([undefined, 'inner_b']);
    expect(formatSpec(s)).toBe(`<byte_off> [${rec}] struct rec.inner_b (0:6:1 @ offset 44)`);
  });
  test('array index on the root and flexible array', () => {
    expect(formatSpec(parseSpec(btf, rec, '2:8:100', 0))).toBe(`<byte_off> [${rec}] struct rec[2].tail[100] (2:8:100 @ offset ${2 * 56 + 56 + 400})`);
  });
  test.each([
    ['0:99', /member index 99/],
    ['0:5:4', /array index 4/], // arr[4] has 4 elements, not flexible
    ['0:0:0', /unexpected kind int/],
    ['1', null],
  ])('%s', (acc, err) => {
    if (err === null) expect(() => parseSpec(btf, rec, acc, 0)).not.toThrow();
    else expect(() => parseSpec(btf, rec, acc, 0)).toThrow(err);
  });
  test('type-based kinds need "0"', () => {
    expect(() => parseSpec(btf, rec, '0:1', 8)).toThrow(SpecError);
    expect(parseSpec(btf, rec, '0', 8).raw).toEqual([]);
  });
  test('enumerator index', () => {
    const color = btf.find('color', Kind.Enum)!.id;
    expect(formatSpec(parseSpec(btf, color, '2', 11))).toBe(`<enumval_value> [${color}] enum color::BLUE = 2`);
    expect(() => parseSpec(btf, color, '4', 11)).toThrow(SpecError);
    expect(() => parseSpec(btf, rec, '0', 11)).toThrow(SpecError);
  });
});

describe('errors name object, program, relocation and instruction', () => {
  const target = openObjectFile(targetFile).btf!;
  test('malformed access string', () => {
    const obj = openObjectFile(localFile);
    obj.btfExt!.coreRelo.sections[0].records[3].accessStr = '0:x';
    let err: unknown;
    try {
      relocateObject(obj, target);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BpfkitError);
    const e = err as BpfkitError;
    expect(e.file).toBe(localFile);
    expect(e.symbol).toBe('core_pairs');
    expect(e.insn).toBe(13);
    expect(e.message).toMatch(/relo #3: parsing \[\d+\] struct rec \+ 0:x failed/);
  });
  test('type id out of range', () => {
    const obj = openObjectFile(localFile);
    obj.btfExt!.coreRelo.sections[0].records[0].typeId = 100000;
    expect(() => relocateObject(obj, target)).toThrow(/core_pairs', insn 1: prog 'core_pairs': relo #0: type id 100000 does not exist/);
  });
  test('relocation past the end of its section', () => {
    const obj = openObjectFile(localFile);
    obj.btfExt!.coreRelo.sections[0].records[2].insnOff = 8 * 100000;
    let err: unknown;
    try {
      relocateObject(obj, target, { onError: 'collect' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BpfkitError);
    const e = err as BpfkitError;
    expect(e.code).toBe('OUT_OF_RANGE');
    expect(e.file).toBe(localFile);
    expect(e.section).toBe(obj.btfExt!.coreRelo.sections[0].secName);
    expect(e.message).toMatch(/CO-RE relocation #2 \(\w+\) points at instruction 100000, past the end of the section/);
  });
  test('relocation at an instruction of the wrong class', () => {
    const obj = openObjectFile(localFile);
    const prog = obj.programs.find((p) => p.name === 'core_pairs')!;
    // the program's last instruction is its `exit`
    const exitSlot = prog.insnOffset + prog.insnCount - 1;
    const rec = obj.btfExt!.coreRelo.sections[0].records[0]; // byte_off of r->id
    rec.insnOff = 8 * exitSlot;
    expect(() => relocateObject(obj, target)).toThrow(
      new RegExp(`core_pairs', insn ${exitSlot - prog.insnOffset}: prog 'core_pairs': relo #0: .*insn #${exitSlot - prog.insnOffset}.*`),
    );
  });
  test('instruction that does not hold the expected value', () => {
    const obj = openObjectFile(localFile);
    // relo #11 is byte_sz of r->small (ALU imm 2): say the compiler meant 'usmall' of another size
    obj.btfExt!.coreRelo.sections[0].records[11].accessStr = '0:3'; // long removed: 8 bytes
    const r = relocateObject(obj, target, { onError: 'collect' }).results[11];
    // no candidate has 'removed': libbpf poisons without checking the value
    expect(r.poisoned).toBe(true);
    obj.btfExt!.coreRelo.sections[0].records[11].accessStr = '0:0'; // int id: 4 bytes, insn says 2
    expect(() => relocateObject(obj, target)).toThrow(/relo #11: unexpected insn #39 \(ALU\/ALU64\) value: got 2, exp 4 -> 4/);
  });
});

describe('type relations', () => {
  const l = openObjectFile(localFile).btf!;
  const t = openObjectFile(targetFile).btf!;
  const id = (b: typeof l, n: string, k: Kind) => b.find(n, k)!.id;
  test('compat and match', () => {
    expect(typesAreCompat(l, id(l, 'rec', Kind.Struct), t, id(t, 'rec', Kind.Struct))).toBe(1);
    expect(typesMatch(l, id(l, 'point', Kind.Struct), t, id(t, 'point', Kind.Struct))).toBe(1);
    expect(typesMatch(l, id(l, 'rec', Kind.Struct), t, id(t, 'rec', Kind.Struct))).toBe(0);
    // enum vs enum64 are core-compatible kinds; match needs equal size
    expect(typesAreCompat(l, id(l, 'color', Kind.Enum), t, id(t, 'big64', Kind.Enum64))).toBe(1);
    expect(typesMatch(l, id(l, 'color', Kind.Enum), t, id(t, 'color', Kind.Enum))).toBe(0); // PURPLE missing
    // fields: int vs long compatible (size ignored), int vs struct not
    const int = l.find('int', Kind.Int)!.id;
    const long = t.find('long', Kind.Int)!.id;
    expect(fieldsAreCompat(l, int, t, long)).toBe(1);
    expect(fieldsAreCompat(l, int, t, id(t, 'point', Kind.Struct))).toBe(0);
  });
});
