/* Error case: shared_val is an int here; err_type_use declares it long.
 * shared_fn takes one parameter here; err_type_use declares two. */
#include "link.h"

int shared_val = 1;

__noinline int shared_fn(int a)
{
	return a;
}

char LICENSE[] SEC("license") = "GPL";
