import type { Argv } from 'yargs';
import { writeStdout } from '../output.js';
import { progressBar } from '../progress.js';

export function coreCommand(y: Argv): Argv {
  return y.command(
    'core <objs..>',
    "Resolve objects' CO-RE relocations against a kernel's BTF (or many: --matrix) and report every decision",
    (c) =>
      c
        .positional('objs', { type: 'string', array: true, demandOption: true, describe: 'BPF ELF objects with .BTF.ext CO-RE records' })
        .option('target', { type: 'string', describe: 'target BTF: raw, .btf.gz, .btf.lz4, or an ELF with .BTF (default /sys/kernel/btf/vmlinux)' })
        .option('matrix', {
          type: 'string',
          array: true,
          describe: 'many targets at once: BTF files and directories of .btf/.btf.gz/.btf.lz4; prints an object × kernel table',
        })
        .option('base', { type: 'string', describe: 'base BTF when the target is split BTF (a kernel module on vmlinux)' })
        .option('json', { type: 'boolean', default: false, describe: 'print JSON (one object per relocation, or the matrix)' })
        .conflicts('matrix', 'target')
        .epilog('Exit status 1 when a relocation cannot be resolved or a poisoned instruction is reachable (for --matrix: in any cell).'),
    async (argv) => {
      const { loadBtf } = await import('../../btf/load.js');
      const { openObjectFile } = await import('../../object/open.js');
      const objs = (argv.objs as string[]).map((p) => ({ name: p, obj: openObjectFile(p) }));
      const base = argv.base !== undefined ? loadBtf(argv.base as string) : undefined;

      if (argv.matrix !== undefined) {
        const { coreMatrix, formatMatrix } = await import('../../reloc/matrix.js');
        const { expandCoreTargets } = await import('../../reloc/targets.js');
        const targets = expandCoreTargets(argv.matrix as string[]);
        const bar = progressBar('relocating');
        const m = coreMatrix(objs, targets, {
          base,
          load: (t, b) => loadBtf(t.path, { base: b }),
          onProgress: (done, total, name) => bar.update(done, total, name),
        });
        bar.done();
        writeStdout(argv.json ? JSON.stringify(m, null, 2) + '\n' : formatMatrix(m));
        if (m.cells.some((c) => !c.ok)) process.exitCode = 1;
        return;
      }

      const { checkCore } = await import('../../reloc/check.js');
      const { coreFailures, formatCoreReport } = await import('../../reloc/report.js');
      const target = loadBtf((argv.target as string | undefined) ?? '/sys/kernel/btf/vmlinux', { base });
      const all = [];
      let text = '';
      for (const { name, obj } of objs) {
        const report = checkCore(obj, target);
        if (coreFailures(report).length > 0) process.exitCode = 1;
        if (argv.json) all.push(...report.map((e) => (objs.length > 1 ? { object: name, ...e } : e)));
        else text += (objs.length > 1 ? `${name}:\n` : '') + formatCoreReport(report);
      }
      writeStdout(argv.json ? JSON.stringify(all, null, 2) + '\n' : text);
    },
  );
}
