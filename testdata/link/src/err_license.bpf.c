/* Error case: a license different from every other file's "GPL". */
#include "link.h"

__noinline int other_license_fn(int x)
{
	return x;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
