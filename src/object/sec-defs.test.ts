/**
 * libbpf's section-name rules, with expectations from libbpf's documented
 * behaviour (libbpf.c sec_def_matches and the section table), and the enum
 * numbers checked against the running kernel's BTF.
 */
import { describe, expect, it } from 'vitest';
import { Kind, loadBtf } from '../btf/index.js';
import { corpusDir, hasVmlinux, vmlinuxPath } from '../test-support/corpus.js';
import { ATTACH_TYPES, MAP_TYPES, PROG_TYPES, findSecDef, openObjectFile, SECTION_DEFS } from './index.js';
import { BPF_F_SLEEPABLE, BPF_F_XDP_HAS_FRAGS } from './sec-defs.js';
import { join } from 'node:path';

const type = (sec: string): string | undefined => {
  const m = findSecDef(sec);
  return m === undefined ? undefined : PROG_TYPES[m.progType];
};

describe('section definitions', () => {
  it('has libbpf-sized table with unique patterns', () => {
    expect(SECTION_DEFS.length).toBeGreaterThan(100);
    expect(new Set(SECTION_DEFS.map((d) => d.sec)).size).toBe(SECTION_DEFS.length);
  });

  it("'+' matches the bare name or name/extra, nothing else", () => {
    expect(type('kprobe')).toBe('KPROBE');
    expect(type('kprobe/do_sys_open')).toBe('KPROBE');
    expect(type('kprobex')).toBeUndefined();
    expect(type('tp_btf/sched_switch')).toBe('TRACING');
    expect(findSecDef('tp_btf/sched_switch')?.def.attachType).toBe('TRACE_RAW_TP');
  });

  it('exact names match only themselves', () => {
    expect(type('socket')).toBe('SOCKET_FILTER');
    expect(type('socket/1')).toBeUndefined();
    expect(type('xdp')).toBe('XDP');
    expect(type('xdp/foo')).toBeUndefined();
  });

  it('the first matching entry wins (specific before general)', () => {
    expect(findSecDef('sk_reuseport/migrate')?.def.attachType).toBe('SK_REUSEPORT_SELECT_OR_MIGRATE');
    expect(findSecDef('sk_reuseport')?.def.attachType).toBe('SK_REUSEPORT_SELECT');
    expect(findSecDef('kprobe.multi/foo*')?.def.attachType).toBe('TRACE_KPROBE_MULTI');
    expect(findSecDef('cgroup/sock')?.def.attachType).toBe('CGROUP_INET_SOCK_CREATE');
    expect(findSecDef('cgroup/sock_release')?.def.attachType).toBe('CGROUP_INET_SOCK_RELEASE');
  });

  it('sleepable and frags definitions set the program flags libbpf sets', () => {
    expect(findSecDef('lsm.s/file_open')?.progFlags).toBe(BPF_F_SLEEPABLE);
    expect(findSecDef('xdp.frags')?.progFlags).toBe(BPF_F_XDP_HAS_FRAGS);
    expect(findSecDef('xdp')?.progFlags).toBe(0);
  });

  it("'?' turns autoload off and is not part of the matched name", () => {
    const o = openObjectFile(join(corpusDir, 'cilium-ebpf/testdata/loader-el.elf'));
    for (const p of o.programs) expect(p.section.startsWith('?')).toBe(false);
  });
});

describe.skipIf(!hasVmlinux)('enum numbers agree with the running kernel', () => {
  const btf = hasVmlinux ? loadBtf(vmlinuxPath) : undefined;
  const check = (enumName: string, prefix: string, names: readonly string[]): void => {
    const e = btf!.find(enumName, Kind.Enum);
    expect(e?.kind).toBe(Kind.Enum);
    if (e?.kind !== Kind.Enum) return;
    const kernel = new Map(e.values.map((v) => [v.name, v.value]));
    let checked = 0;
    names.forEach((n, i) => {
      const v = kernel.get(prefix + n);
      if (v === undefined) return; // newer than this kernel
      expect(v, prefix + n).toBe(i);
      checked++;
    });
    expect(checked).toBeGreaterThan(names.length / 2);
  };
  it('bpf_prog_type', () => check('bpf_prog_type', 'BPF_PROG_TYPE_', PROG_TYPES));
  it('bpf_attach_type', () => check('bpf_attach_type', 'BPF_', ATTACH_TYPES));
  it('bpf_map_type', () => check('bpf_map_type', 'BPF_MAP_TYPE_', MAP_TYPES));
});

describe('special sections and legacy layouts in the corpus', () => {
  const c = (n: string): string => join(corpusDir, 'cilium-ebpf/testdata', n);
  it('struct_ops: .struct_ops.link maps and programs', () => {
    const o = openObjectFile(c('struct_ops-el.elf'));
    expect(o.specialSections.map((s) => s.name)).toContain('.struct_ops.link');
    expect(o.maps.find((m) => m.kind === 'struct_ops')?.typeName).toBe('struct_ops');
  });
  it('arena: a BTF map of type arena with a 64-bit map_extra', () => {
    const o = openObjectFile(c('arena-el.elf'));
    expect(o.maps.find((m) => m.kind === 'arena')?.typeName).toBe('arena');
  });
  it('iproute2 legacy maps are read as such', () => {
    const o = openObjectFile(c('iproute2_map_compat-el.elf'));
    expect(o.maps.map((m) => m.kind)).toEqual(['legacy-iproute2']);
  });
});
