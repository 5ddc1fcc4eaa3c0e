/* Error case: see err_strong1.bpf.c. */
#include "link.h"

__noinline int dup_fn(int x)
{
	return x + 2;
}

char LICENSE[] SEC("license") = "GPL";
