/* Statics with the same names as in static_b.bpf.c: both must survive,
 * each file's code keeping its own. Custom data sections with different
 * alignments in the two files. */
#include "link.h"

static int counter = 5;                        /* .data, also in static_b */
static const int limit = 100;                  /* .rodata, also in static_b */
char small_a[3] SEC(".data.mixed") = {1, 2, 3};  /* 1-byte aligned here */
const char tag_a[5] SEC(".rodata.mixed") = "aaaa";

static __noinline int helper(int x)            /* also in static_b */
{
	return x + counter;
}

SEC("socket")
int static_prog_a(void *ctx)
{
	counter++;
	return helper(limit) + small_a[1] + tag_a[0];
}

char LICENSE[] SEC("license") = "GPL";
