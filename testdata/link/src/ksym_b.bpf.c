/* A second file declaring kcfg_a's typeless ksym. bpftool 7.1 fails to link
 * kcfg_a + ksym_b ("failed to resolve size of underlying type": the extern
 * is `const void`); the extern must simply stay one extern. */
#include "link.h"

extern const void bpf_prog_put __ksym;

__noinline int kcfg_helper(void)
{
	return (int)(long)&bpf_prog_put & 1;
}

char LICENSE[] SEC("license") = "GPL";
