import { addSection, createElf } from '../../../elf/build.js';
import { SHT_PROGBITS, SHT_STRTAB, SHT_SYMTAB } from '../../../elf/constants.js';
import { writeElf } from '../../../elf/write.js';

/** Test support: a relocatable BPF object holding only .BTF (and the empty
 * symbol table libbpf's linker requires), so that `bpftool gen object`
 * runs libbpf's dedup on exactly that BTF. */
export function btfOnlyObject(btf: Uint8Array, littleEndian: boolean): Uint8Array {
  const elf = createElf({ littleEndian });
  const strtab = addSection(elf, { name: '.strtab', type: SHT_STRTAB, data: new Uint8Array(1) });
  addSection(elf, { name: '.symtab', type: SHT_SYMTAB, data: new Uint8Array(24), link: strtab.index, info: 1, entsize: 24, addralign: 8 });
  addSection(elf, { name: '.BTF', type: SHT_PROGBITS, data: btf, addralign: 4 });
  return writeElf(elf);
}
