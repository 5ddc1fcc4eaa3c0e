/* Error case: declares err_type_def's shared_fn with two parameters. */
#include "link.h"

extern int shared_fn(int a, int b);

SEC("socket")
int proto_use_prog(void *ctx)
{
	return shared_fn(1, 2);
}

char LICENSE[] SEC("license") = "GPL";
