/* See kcfg_a.bpf.c. */
#include "link.h"

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern int LINUX_HAS_SYSCALL_WRAPPER __kconfig __weak;


__noinline int kcfg_helper(void)
{
	return (LINUX_KERNEL_VERSION >> 16) + LINUX_HAS_SYSCALL_WRAPPER;
}

SEC("xdp")
int kcfg_prog_b(void *ctx)
{
	return kcfg_helper() > 0 ? 2 : 2;
}

char LICENSE[] SEC("license") = "GPL";
