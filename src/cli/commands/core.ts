import type { Argv } from 'yargs';
import { writeStdout } from '../output.js';

export function coreCommand(y: Argv): Argv {
  return y.command(
    'core <obj>',
    "Resolve an object's CO-RE relocations against a kernel's BTF and report every decision",
    (c) =>
      c
        .positional('obj', { type: 'string', demandOption: true, describe: 'BPF ELF object with .BTF.ext CO-RE records' })
        .option('target', { type: 'string', default: '/sys/kernel/btf/vmlinux', describe: 'target BTF: raw, .btf.gz, or an ELF with .BTF' })
        .option('base', { type: 'string', describe: 'base BTF when the target is split BTF (a kernel module on vmlinux)' })
        .option('json', { type: 'boolean', default: false, describe: 'print one JSON object per relocation, in an array' }),
    async (argv) => {
      const { loadBtf } = await import('../../btf/load.js');
      const { openObjectFile } = await import('../../object/open.js');
      const { relocateObject } = await import('../../reloc/relocate.js');
      const { coreReport, formatCoreReport } = await import('../../reloc/report.js');
      const obj = openObjectFile(argv.obj as string);
      const base = argv.base !== undefined ? loadBtf(argv.base as string) : undefined;
      const target = loadBtf(argv.target as string, { base });
      const { results } = relocateObject(obj, target, { onError: 'collect' });
      const report = coreReport(results);
      writeStdout(argv.json ? JSON.stringify(report, null, 2) + '\n' : formatCoreReport(report));
      // Relocations that could not be resolved at all (ambiguity, malformed
      // records) fail the command; poisoned instructions are reported, since
      // telling which of them the verifier can reach is not done yet.
      if (report.some((e) => e.error !== null)) process.exitCode = 1;
    },
  );
}
