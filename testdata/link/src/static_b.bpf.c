/* See static_a.bpf.c. */
#include "link.h"

static int counter = 7;
static const int limit = 200;
__u64 big_b SEC(".data.mixed") = 0x1122334455667788ULL;  /* 8-byte aligned */
const __u64 tag_b SEC(".rodata.mixed") = 42;

static __noinline int helper(int x)
{
	return x * counter;
}

SEC("socket")
int static_prog_b(void *ctx)
{
	counter--;
	return helper(limit) + (int)big_b + (int)tag_b;
}

char LICENSE[] SEC("license") = "GPL";
