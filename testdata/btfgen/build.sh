#!/usr/bin/env bash
# Rebuild the btfgen test pair in testdata/btfgen (objects are committed).
#   testdata/btfgen/build.sh          CLANG=clang-19 by default
set -euo pipefail
CLANG="${CLANG:-clang-19}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
FLAGS=(-g -O2 -mcpu=v3 -nostdinc -Wall -Wno-unused-parameter
	-ffile-prefix-map="$here"=. -fdebug-prefix-map="$here"=. -fdebug-compilation-dir=.)
echo "using $("$CLANG" --version | head -n1)"
for name in kernel prog kreads; do
	for t in bpfel bpfeb; do
		echo "  CLANG  $name.bpf.c -> $name.$t.o"
		"$CLANG" "${FLAGS[@]}" -target "$t" -c "$name.bpf.c" -o "$name.$t.o"
	done
done
# One object per edge case (see edge.bpf.c), little-endian only.
for n in 1 2 3 4 5; do
	echo "  CLANG  edge.bpf.c -DCASE=$n -> edge$n.bpfel.o"
	"$CLANG" "${FLAGS[@]}" -DCASE=$n -target bpfel -c edge.bpf.c -o "edge$n.bpfel.o"
done
# The same program without .BTF.ext: bpftool and bpfkit must refuse it.
OBJCOPY="${OBJCOPY:-llvm-objcopy-19}"
echo "  OBJCOPY  prog.bpfel.o -> no_ext.bpfel.o (.BTF.ext removed)"
"$OBJCOPY" --remove-section .BTF.ext --remove-section .rel.BTF.ext prog.bpfel.o no_ext.bpfel.o
