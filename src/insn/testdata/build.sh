#!/usr/bin/env bash
# Rebuild the instruction-layer test objects (committed beside this script):
#   isa_v4.bpfel.o, isa_v4.bpfeb.o   clang -mcpu=v4, both byte orders
# Usage: src/insn/testdata/build.sh   (CLANG=clang-19 by default)
set -euo pipefail
CLANG="${CLANG:-clang-19}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
echo "using $("$CLANG" --version | head -n1)"
for target in bpfel bpfeb; do
	echo "  CLANG  isa_v4.bpf.c -> isa_v4.$target.o"
	"$CLANG" -g -O2 -mcpu=v4 -target "$target" -nostdinc \
		-Wall -Wno-unused-parameter \
		-ffile-prefix-map="$here"=. -fdebug-prefix-map="$here"=. \
		-fdebug-compilation-dir=. \
		-c isa_v4.bpf.c -o "isa_v4.$target.o"
done
