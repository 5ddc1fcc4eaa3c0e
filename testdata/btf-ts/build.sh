#!/usr/bin/env bash
# Rebuild the BTF -> TypeScript test objects from testdata/btf-ts/src into
# testdata/btf-ts/obj (committed; tests need no compiler).
#
#   testdata/btf-ts/build.sh
#   CLANG=clang-19 testdata/btf-ts/build.sh
#
# Same flags and path mapping as testdata/build.sh, so the objects are
# reproducible with the same clang (19.1.7, Debian 12).
set -euo pipefail

CLANG="${CLANG:-clang-19}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/src"
obj="$here/obj"

command -v "$CLANG" >/dev/null || { echo "build.sh: $CLANG not found" >&2; exit 1; }
mkdir -p "$obj"
cd "$src"
echo "using $("$CLANG" --version | head -n1)"
for name in values; do
	for target in bpfel bpfeb; do
		echo "  CLANG  $name.bpf.c -> obj/$name.$target.o"
		"$CLANG" -g -O2 -mcpu=v3 -nostdinc -Wall -Wextra -Wno-unused-parameter \
			-ffile-prefix-map="$src"=. -fdebug-prefix-map="$src"=. -fdebug-compilation-dir=. \
			-target "$target" -c "$name.bpf.c" -o "$obj/$name.$target.o"
	done
done
