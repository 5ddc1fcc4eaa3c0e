// SPDX-License-Identifier: GPL-2.0
/*
 * kfuncs.bpf.c - the subset of externs.bpf.c that loads on kernels built
 * without CONFIG_KALLSYMS_ALL (where per-CPU and data symbols such as
 * runqueues or bpf_prog_fops are missing from kallsyms).
 *
 * .kconfig  LINUX_KERNEL_VERSION, a bool, a tristate, an int, a char array,
 *           and a weak option no kernel has
 * .ksyms    kfuncs (bpf_task_acquire / bpf_task_release, bpf_rcu_read_lock /
 *           bpf_rcu_read_unlock), a weak kfunc that does not exist, a
 *           typeless ksym of a function (bpf_prog_put), a weak typeless ksym
 *           and a weak typed ksym that do not exist
 */
#include "bpfkit_helpers.h"

enum libbpf_tristate {
	TRI_NO = 0,
	TRI_YES = 1,
	TRI_MODULE = 2,
};

extern int LINUX_KERNEL_VERSION __kconfig;
extern bool CONFIG_BPF_SYSCALL __kconfig __weak;
extern enum libbpf_tristate CONFIG_BPF_LSM __kconfig __weak;
extern int CONFIG_HZ __kconfig __weak;
extern char CONFIG_LOCALVERSION[32] __kconfig __weak;
extern __u64 CONFIG_BPFKIT_MISSING_U64 __kconfig __weak;

struct task_struct {
	int pid;
	int tgid;
	struct task_struct *real_parent;
} __attribute__((preserve_access_index));

struct bpfkit_missing_type {
	int x;
};

extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;
extern int bpfkit_missing_kfunc(struct task_struct *p) __ksym __weak;

extern const void bpf_prog_put __ksym;
extern const void bpfkit_missing_typeless __ksym __weak;
extern const struct bpfkit_missing_type bpfkit_missing_typed __ksym __weak;

struct kfunc_results {
	int kernel_version;
	bool bpf_syscall;
	enum libbpf_tristate bpf_lsm;
	int hz;
	char localversion[32];
	__u64 missing_u64;
	__u64 prog_put_addr;
	__u64 missing_typeless_addr;
	__u64 missing_typed_addr;
	int pid;
	int ppid;
	int missing_kfunc_ret;
};

struct kfunc_results kres;

SEC("tp_btf/sched_switch")
int tp_btf_kfuncs(__u64 *ctx)
{
	struct task_struct *next = (struct task_struct *)ctx[2];
	struct task_struct *t, *parent;

	kres.kernel_version = LINUX_KERNEL_VERSION;
	kres.bpf_syscall = CONFIG_BPF_SYSCALL;
	kres.bpf_lsm = CONFIG_BPF_LSM;
	kres.hz = CONFIG_HZ;
	__builtin_memcpy(kres.localversion, CONFIG_LOCALVERSION,
			 sizeof(kres.localversion));
	kres.missing_u64 = CONFIG_BPFKIT_MISSING_U64;

	kres.prog_put_addr = (__u64)(unsigned long)&bpf_prog_put;
	kres.missing_typeless_addr =
		(__u64)(unsigned long)&bpfkit_missing_typeless;
	kres.missing_typed_addr = (__u64)(unsigned long)&bpfkit_missing_typed;

	t = bpf_task_acquire(next);
	if (!t)
		return 0;
	kres.pid = t->pid;

	bpf_rcu_read_lock();
	parent = t->real_parent;
	if (parent)
		kres.ppid = parent->tgid;
	bpf_rcu_read_unlock();

	if (bpfkit_missing_kfunc)
		kres.missing_kfunc_ret = bpfkit_missing_kfunc(t);

	bpf_task_release(t);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
