#!/usr/bin/env bash
# Rebuild the C-dumper test objects from testdata/btf-c/src into obj/.
#
#   testdata/btf-c/build.sh
#   CLANG=clang-19 testdata/btf-c/build.sh
#
# Each src/<name>.c becomes obj/<name>.bpfel.o and obj/<name>.bpfeb.o.
# Compiles run inside src/ with relative names and the directory mapped to
# "." so that no absolute path reaches DWARF or BTF.
set -euo pipefail

CLANG="${CLANG:-clang-19}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/src"
obj="$here/obj"
mkdir -p "$obj"

FLAGS=(
	-g -O2
	-nostdinc
	-Wall -Wno-unused-parameter
	-ffile-prefix-map="$src"=.
	-fdebug-prefix-map="$src"=.
	-fdebug-compilation-dir=.
)

cd "$src"
for c in *.c; do
	name="${c%.c}"
	for target in bpfel bpfeb; do
		"$CLANG" "${FLAGS[@]}" -target "$target" -c "$c" -o "$obj/$name.$target.o"
	done
	echo "built $name"
done
