#!/usr/bin/env bash
# Build the linker's test objects (testdata/link/src/*.bpf.c) for both byte
# orders into testdata/link/obj/<name>.bpfel.o and .bpfeb.o. The objects
# are committed; rebuild with the same clang to reproduce them byte for byte.
#
#   testdata/link/build.sh            (CLANG=clang-19 by default)
set -euo pipefail
CLANG="${CLANG:-clang-19}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/src"
obj="$here/obj"
mkdir -p "$obj"
cd "$src"
for c in *.bpf.c; do
	name="${c%.bpf.c}"
	for t in bpfel bpfeb; do
		"$CLANG" -g -O2 -mcpu=v3 -target "$t" -nostdinc \
			-Wall -Wextra -Wno-unused-parameter -Wno-ignored-attributes \
			-ffile-prefix-map="$src"=. -fdebug-prefix-map="$src"=. -fdebug-compilation-dir=. \
			-c "$c" -o "$obj/$name.$t.o"
	done
done
