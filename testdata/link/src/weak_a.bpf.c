/* Weak and strong definitions, first file. Expected resolution (libbpf's
 * rules): a strong definition wins over a weak one whatever the order, the
 * first weak wins among weaks. */
#include "link.h"

struct counters {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
};

/* weak here, strong in weak_b: weak_b's definition must win */
struct counters weak_here SEC(".maps") __weak;
/* strong here, weak in weak_b */
struct counters strong_here SEC(".maps");
/* weak in both: this one (the first) wins */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} weak_both SEC(".maps") __weak;

/* variables: weak here with 1, strong in weak_b with 2 */
__weak int wvar = 1;
/* strong here with 10, weak in weak_b with 20 */
int svar = 10;
/* bss, weak in both */
__weak __u64 wbss;

__weak __noinline int pick(int x)
{
	return x + 1; /* overridden by weak_b's strong pick() */
}

__noinline int strong_fn(int x)
{
	return x * 3;
}

__noinline int hidden_fn(int x) /* default visibility here */
{
	return x - 1;
}

extern int from_b(int x);

SEC("socket")
int prog_a(void *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&weak_here, &k);
	if (v)
		*v += 1;
	v = bpf_map_lookup_elem(&strong_here, &k);
	if (v)
		*v += 2;
	v = bpf_map_lookup_elem(&weak_both, &k);
	if (v)
		*v += 3;
	wbss += 1;
	return pick(wvar) + strong_fn(svar) + from_b(1) + hidden_fn(0);
}

char LICENSE[] SEC("license") = "GPL";
