/* Error case: dup_fn is defined (non-weak) here and in err_strong2. */
#include "link.h"

__noinline int dup_fn(int x)
{
	return x + 1;
}

SEC("socket")
int strong1_prog(void *ctx)
{
	return dup_fn(1);
}

char LICENSE[] SEC("license") = "GPL";
