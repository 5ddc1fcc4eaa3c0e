/* Error case: see err_type_def.bpf.c. */
#include "link.h"

extern long shared_val;

SEC("socket")
int type_use_prog(void *ctx)
{
	return (int)shared_val;
}

char LICENSE[] SEC("license") = "GPL";
