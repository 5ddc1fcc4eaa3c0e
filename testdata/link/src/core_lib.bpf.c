/* See core_main.bpf.c. A global function with a CO-RE access. */
#include "link.h"

struct task_struct {
	int pid;
	int tgid;
} __attribute__((preserve_access_index));

__noinline int read_tgid(void)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	int tgid = 0;
	bpf_probe_read_kernel(&tgid, sizeof(tgid), &t->tgid);
	return tgid;
}

SEC("kprobe/do_nanosleep")
int core_kprobe(void *ctx)
{
	return read_tgid() & 1;
}

char LICENSE[] SEC("license") = "GPL";
