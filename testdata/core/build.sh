#!/usr/bin/env bash
# Rebuild the CO-RE local/target pair in testdata/core (objects are committed).
#   testdata/core/build.sh          CLANG=clang-19 by default
set -euo pipefail
CLANG="${CLANG:-clang-19}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
FLAGS=(-g -O2 -mcpu=v3 -nostdinc -Wall -Wno-unused-parameter
	-ffile-prefix-map="$here"=. -fdebug-prefix-map="$here"=. -fdebug-compilation-dir=.)
echo "using $("$CLANG" --version | head -n1)"
for name in local target reach; do
	for t in bpfel bpfeb; do
		echo "  CLANG  $name.bpf.c -> $name.$t.o"
		"$CLANG" "${FLAGS[@]}" -target "$t" -c "$name.bpf.c" -o "$name.$t.o"
	done
done
# The same source twice: guarded (loads) and -DUNGUARDED (refused).
for t in bpfel bpfeb; do
	echo "  CLANG  reach_kernel.bpf.c -> reach_kernel_guarded.$t.o, reach_kernel_unguarded.$t.o"
	"$CLANG" "${FLAGS[@]}" -target "$t" -c reach_kernel.bpf.c -o "reach_kernel_guarded.$t.o"
	"$CLANG" "${FLAGS[@]}" -DUNGUARDED -target "$t" -c reach_kernel.bpf.c -o "reach_kernel_unguarded.$t.o"
done
