/**
 * The object model on our own programs, with expectations written from the
 * C sources in testdata/src (not from bpfkit's output), for both byte
 * orders, and on hand-made broken objects.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testdataDir } from '../test-support/corpus.js';
import { openObjectFile, type BpfMap, type BpfObject } from './index.js';

const obj = (name: string): string => join(testdataDir, 'obj', name);

for (const order of ['bpfel', 'bpfeb']) {
  describe(`maps.bpf.c (${order})`, () => {
    const o = openObjectFile(obj(`maps.${order}.o`));
    const map = (n: string): BpfMap => {
      const m = o.maps.find((x) => x.name === n);
      if (m === undefined) throw new Error(`no map ${n}`);
      return m;
    };

    it('byte order and license', () => {
      expect(o.littleEndian).toBe(order === 'bpfel');
      expect(o.license).toBe('GPL');
    });

    it('every map attribute from the C definitions', () => {
      expect(map('flows')).toMatchObject({ typeName: 'hash', maxEntries: 1024, keySize: 8, valueSize: 24, mapFlags: 1, keyTypeName: 'struct flow_key', valueTypeName: 'struct flow_stats' });
      expect(map('action_counts')).toMatchObject({ typeName: 'array', maxEntries: 5, keySize: 4, valueSize: 8 });
      expect(map('percpu_counts')).toMatchObject({ typeName: 'percpu_array', maxEntries: 2, keySize: 4, valueSize: 8, keyTypeId: 0, valueTypeId: 0 });
      expect(map('recent_ifindex')).toMatchObject({ typeName: 'lru_hash', maxEntries: 256, mapFlags: 2 /* BPF_F_NO_COMMON_LRU */ });
      expect(map('events')).toMatchObject({ typeName: 'ringbuf', maxEntries: 4096, keySize: 0, valueSize: 0 });
      expect(map('seen_lengths')).toMatchObject({ typeName: 'bloom_filter', maxEntries: 128, keySize: 0, valueSize: 4, mapExtra: 3n });
      expect(map('numa_counter')).toMatchObject({ mapFlags: 4 /* BPF_F_NUMA_NODE */, numaNode: 0 });
      expect(map('bpfkit_td_pinned')).toMatchObject({ pinning: 1 });
    });

    it('map-in-map templates and initial values', () => {
      const outer = map('outer_array');
      expect(outer.typeName).toBe('array_of_maps');
      expect(outer.inner).toMatchObject({ typeName: 'array', maxEntries: 4, keySize: 4, valueSize: 4 });
      expect(outer.initialValues).toEqual([
        { slot: 0, target: 'inner_a' },
        { slot: 3, target: 'inner_b' },
      ]);
      expect(map('outer_hash').inner).toMatchObject({ typeName: 'hash', maxEntries: 16, keySize: 4, valueSize: 8 });
      expect(map('jump_table').typeName).toBe('prog_array');
      expect(map('jump_table').initialValues.map((v) => v.target)).toEqual(['xdp_tail_pass', 'xdp_tail_drop']);
    });

    it('programs and their types', () => {
      const progs = Object.fromEntries(o.programs.map((p) => [p.name, p]));
      expect(Object.keys(progs).sort()).toEqual(['socket_filter', 'xdp_main', 'xdp_tail_drop', 'xdp_tail_pass']);
      expect(progs.xdp_main).toMatchObject({ section: 'xdp', typeName: 'xdp', expectedAttachTypeName: 'xdp', autoload: true });
      expect(progs.socket_filter).toMatchObject({ section: 'socket', typeName: 'socket_filter', expectedAttachTypeName: undefined });
      // Every map the programs use is loaded through a map fd relocation.
      expect(o.relocations.every((r) => r.kind === 'map_fd')).toBe(true);
    });
  });

  describe(`globals, subprograms, externs (${order})`, () => {
    it('globals.bpf.c: data sections, variables and sizes', () => {
      const o = openObjectFile(obj(`globals.${order}.o`));
      expect(o.license).toBe('Dual BSD/GPL');
      const names = o.dataSections.map((d) => d.name).sort();
      expect(names).toEqual(['.bss', '.data', '.data.custom', '.rodata', '.rodata.custom', '.rodata.str1.1']);
      const rodata = o.dataSections.find((d) => d.name === '.rodata')!;
      expect(rodata.readonly).toBe(true);
      expect(rodata.sizeFixedUp).toBe(true); // clang writes DATASEC size 0
      const custom = o.dataSections.find((d) => d.name === '.data.custom')!;
      expect(custom.variables.map((v) => v.name)).toEqual(['custom_data_value', 'custom_data_array']);
      // Offsets come from the symbol table, not the zeros clang leaves in BTF.
      expect(custom.variables[1].offset).toBeGreaterThan(0);
      const bss = o.dataSections.find((d) => d.name === '.bss')!;
      expect(bss.initial).toBeUndefined();
      expect(o.maps.filter((m) => m.kind === 'data').map((m) => m.name).sort()).toEqual(names);
      expect(o.relocations.some((r) => r.kind === 'map_value' && r.target === '.rodata.str1.1')).toBe(true);
    });

    it('core.bpf.c: attach targets after the section prefix', () => {
      const o = openObjectFile(obj(`core.${order}.o`));
      const p = Object.fromEntries(o.programs.map((x) => [x.name, x]));
      expect(p.kprobe_core).toMatchObject({ typeName: 'kprobe', attachTarget: 'do_nanosleep' });
      expect(p.tp_btf_core).toMatchObject({ typeName: 'tracing', expectedAttachTypeName: 'trace_raw_tp', attachTarget: 'sched_switch' });
      expect(o.coreRelocationCount).toBeGreaterThan(10);
    });

    it('subprogs.bpf.c: several programs in one section and the call graph', () => {
      const o = openObjectFile(obj(`subprogs.${order}.o`));
      const socket = o.programs.filter((p) => p.section === 'socket').map((p) => p.name);
      expect(socket.sort()).toEqual(['sock_first', 'sock_loop', 'sock_second']);
      const first = o.programs.find((p) => p.name === 'sock_first')!;
      // global_compute -> step -> mix: three deep.
      expect(first.calls).toEqual(expect.arrayContaining(['global_compute', 'step', 'mix']));
      const loop = o.programs.find((p) => p.name === 'sock_loop')!;
      expect(loop.calls).toContain('loop_body'); // callback passed to bpf_loop
      expect(o.relocations.some((r) => r.kind === 'func_addr' && r.target === 'loop_body')).toBe(true);
      const subs = Object.fromEntries(o.subprograms.map((s) => [s.name, s]));
      expect(subs.global_compute.global).toBe(true);
      expect(subs.mix.global).toBe(false);
    });

    it('externs.bpf.c: kconfig, typed and typeless ksyms, kfuncs, weak', () => {
      const o = openObjectFile(obj(`externs.${order}.o`));
      const ext = Object.fromEntries(o.externs.map((e) => [e.name, e]));
      expect(ext.LINUX_KERNEL_VERSION).toMatchObject({ kind: 'kconfig', weak: false });
      expect(ext.CONFIG_BPF_SYSCALL).toMatchObject({ kind: 'kconfig', weak: true, kconfigType: 'bool' });
      expect(ext.CONFIG_DEFAULT_HOSTNAME).toMatchObject({ kind: 'kconfig', kconfigType: 'char_arr' });
      expect(ext.runqueues).toMatchObject({ kind: 'ksym', typeName: 'const struct rq' });
      expect(ext.bpf_prog_fops).toMatchObject({ kind: 'ksym', typeName: 'void' });
      expect(ext.bpf_task_acquire).toMatchObject({ kind: 'kfunc', weak: false });
      expect(ext.bpfkit_no_such_kfunc).toMatchObject({ kind: 'kfunc', weak: true });
      expect(o.maps.find((m) => m.name === '.kconfig')).toBeDefined();
      const kinds = new Set(o.relocations.map((r) => r.kind));
      expect([...kinds]).toEqual(expect.arrayContaining(['kconfig', 'ksym', 'kfunc']));
    });
  });
}

describe('bad objects', () => {
  const expectError = (f: () => BpfObject, re: RegExp): void => {
    expect(f).toThrow(re);
  };
  it('corpus invalid_* objects each give one clear error', () => {
    const c = (n: string): string => join(testdataDir, '..', '..', 'shared', 'corpus', 'cilium-ebpf', 'testdata', n);
    expectError(() => openObjectFile(c('invalid_map-el.elf')), /invalid_map.*non-zero bytes past the 20/);
    expectError(() => openObjectFile(c('invalid_map_static-el.elf')), /'hash_map'.*is static/);
    expectError(() => openObjectFile(c('invalid_btf_map_init-el.elf')), /hash_map.*initial data/);
  });
});

describe('our own broken objects', () => {
  const c = (n: string): string => join(testdataDir, 'obj', n);
  for (const order of ['bpfel', 'bpfeb']) {
    it(`a map without a type (${order})`, () => {
      expect(() => openObjectFile(c(`broken_map_no_type.${order}.o`))).toThrow(/section \.maps, 'typeless'.*map type is not specified/);
    });
    it(`a .maps variable with an unknown attribute (${order})`, () => {
      expect(() => openObjectFile(c(`broken_map_unknown_attr.${order}.o`))).toThrow(/'odd_attr'.*unknown field 'lifetime'/);
    });
  }

  it('a relocation outside its section', async () => {
    const { readFileSync } = await import('node:fs');
    const { readElf, writeElf, readRelocations, encodeRelocations } = await import('../elf/index.js');
    const { openObject } = await import('./index.js');
    const elf = readElf(new Uint8Array(readFileSync(c('subprogs.bpfel.o'))));
    const rel = elf.sections.find((s) => s.name === '.relsocket')!;
    const relocs = readRelocations(elf, rel);
    relocs[0] = { ...relocs[0], offset: 0x10000n };
    rel.data = encodeRelocations(relocs, elf.littleEndian, false);
    expect(() => openObject(writeElf(elf), { file: 'x.o' })).toThrow(/x\.o, section \.relsocket.*relocation #0 at offset 65536 is outside section socket/);
  });

  it('an executable section whose size is not a multiple of 8', async () => {
    const { readFileSync } = await import('node:fs');
    const { readElf, writeElf } = await import('../elf/index.js');
    const { openObject } = await import('./index.js');
    const elf = readElf(new Uint8Array(readFileSync(c('subprogs.bpfel.o'))));
    const sec = elf.sections.find((s) => s.name === 'xdp')!;
    const grown = new Uint8Array(sec.data.byteLength + 4);
    grown.set(sec.data);
    sec.data = grown;
    sec.size = grown.byteLength;
    expect(() => openObject(writeElf(elf), { file: 'y.o' })).toThrow(/y\.o, section xdp.*not a multiple of 8/);
  });
});
