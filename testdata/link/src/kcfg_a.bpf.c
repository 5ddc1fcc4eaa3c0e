/* kconfig and ksym externs, shared with kcfg_b.bpf.c: they stay externs
 * (libbpf resolves them at load time) and appear once in the output. */
#include "link.h"

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern bool CONFIG_BPF_SYSCALL __kconfig __weak;
extern const void bpf_prog_put __ksym;

extern int kcfg_helper(void);

SEC("socket")
int kcfg_prog_a(void *ctx)
{
	if (!CONFIG_BPF_SYSCALL)
		return 0;
	return (LINUX_KERNEL_VERSION > 0) + kcfg_helper() + ((int)(long)&bpf_prog_put & 1);
}

char LICENSE[] SEC("license") = "GPL";
