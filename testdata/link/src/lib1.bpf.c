/* A library in two files (lib1 + lib2 -> lib.o), later linked with
 * app.bpf.c. It uses app_limit, which only the application defines, so
 * lib.o keeps an unresolved extern. */
#include "link.h"

extern int app_limit;
extern int lib_scale(int x);

__noinline int lib_clamp(int x)
{
	int v = lib_scale(x);
	return v > app_limit ? app_limit : v;
}

char LICENSE[] SEC("license") = "GPL";
