/* CO-RE relocations in both linked files: the records must follow their
 * instructions into the merged sections. */
#include "link.h"

struct task_struct {
	int pid;
	int tgid;
} __attribute__((preserve_access_index));

extern int read_tgid(void);

SEC("raw_tp/sys_enter")
int core_prog(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	int pid = 0;
	bpf_probe_read_kernel(&pid, sizeof(pid), &t->pid);
	return pid + read_tgid();
}

char LICENSE[] SEC("license") = "GPL";
