/* The application linked against lib.o (lib1 + lib2). */
#include "link.h"

int app_limit = 1000;
extern int lib_clamp(int x);

SEC("socket")
int app_prog(void *ctx)
{
	return lib_clamp(app_limit >> 2);
}

char LICENSE[] SEC("license") = "GPL";
