// SPDX-License-Identifier: GPL-2.0
/*
 * externs.bpf.c - extern symbols resolved by the loader.
 *
 * .kconfig  LINUX_KERNEL_VERSION, a bool, tristates (enum libbpf_tristate),
 *           an int, a u64, a char array, and a weak option no kernel has
 * .ksyms    a typed per-CPU variable (runqueues), a typed weak ksym, a
 *           typeless ksym (bpf_prog_fops), a typeless weak ksym that does not
 *           exist, and kfuncs (bpf_task_acquire / bpf_task_release, plus a
 *           weak kfunc that does not exist)
 *
 * Loading needs the data symbols runqueues and bpf_prog_fops to be visible
 * in kallsyms (CONFIG_KALLSYMS_ALL=y); see kfuncs.bpf.c for a variant that
 * avoids them.
 */
#include "bpfkit_helpers.h"

/* The loader matches this enum by name for tristate options. */
enum libbpf_tristate {
	TRI_NO = 0,
	TRI_YES = 1,
	TRI_MODULE = 2,
};

/* --- kconfig --------------------------------------------------------- */
extern int LINUX_KERNEL_VERSION __kconfig;
extern bool CONFIG_BPF_SYSCALL __kconfig __weak;
extern enum libbpf_tristate CONFIG_BPF_JIT __kconfig __weak;
extern enum libbpf_tristate CONFIG_NET_CLS_BPF __kconfig __weak;
extern int CONFIG_HZ __kconfig __weak;
extern __u64 CONFIG_NR_CPUS __kconfig __weak;
extern char CONFIG_DEFAULT_HOSTNAME[16] __kconfig __weak;
extern unsigned int CONFIG_BPFKIT_DOES_NOT_EXIST __kconfig __weak;

/* --- ksyms ----------------------------------------------------------- */
/* Minimal local views of kernel types (matched by name and field names). */
struct rq {
	unsigned int nr_running;
	int cpu;
} __attribute__((preserve_access_index));

struct task_struct {
	int pid;
	int tgid;
} __attribute__((preserve_access_index));

/* Typed ksyms: per-CPU variables, accessed through bpf_this_cpu_ptr(). */
extern const struct rq runqueues __ksym;
extern const int bpf_prog_active __ksym __weak;

/* Typeless ksyms: only their address is known. */
extern const void bpf_prog_fops __ksym;
extern const void bpfkit_no_such_symbol __ksym __weak;

/* kfuncs. */
extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern void bpfkit_no_such_kfunc(void) __ksym __weak;

struct extern_results {
	int kernel_version;
	bool bpf_syscall;
	enum libbpf_tristate jit;
	enum libbpf_tristate cls_bpf;
	int hz;
	__u64 nr_cpus;
	char hostname[16];
	unsigned int missing_option;
	__u64 prog_fops_addr;
	__u64 missing_sym_addr;
	unsigned int nr_running;
	int rq_cpu;
	int prog_active;
	int pid;
	int tgid;
	bool has_missing_kfunc;
};

struct extern_results ext;

SEC("tp_btf/sched_switch")
int tp_btf_externs(__u64 *ctx)
{
	struct task_struct *cur = bpf_get_current_task_btf();
	struct task_struct *t;
	const struct rq *rq;
	const int *active;

	ext.kernel_version = LINUX_KERNEL_VERSION;
	ext.bpf_syscall = CONFIG_BPF_SYSCALL;
	ext.jit = CONFIG_BPF_JIT;
	ext.cls_bpf = CONFIG_NET_CLS_BPF;
	ext.hz = CONFIG_HZ;
	ext.nr_cpus = CONFIG_NR_CPUS;
	__builtin_memcpy(ext.hostname, CONFIG_DEFAULT_HOSTNAME,
			 sizeof(ext.hostname));
	ext.missing_option = CONFIG_BPFKIT_DOES_NOT_EXIST;

	ext.prog_fops_addr = (__u64)(unsigned long)&bpf_prog_fops;
	ext.missing_sym_addr = (__u64)(unsigned long)&bpfkit_no_such_symbol;

	rq = bpf_this_cpu_ptr(&runqueues);
	ext.nr_running = rq->nr_running;
	ext.rq_cpu = rq->cpu;

	if (&bpf_prog_active) {
		active = bpf_this_cpu_ptr(&bpf_prog_active);
		ext.prog_active = *active;
	}

	ext.has_missing_kfunc = bpfkit_no_such_kfunc != 0;
	if (bpfkit_no_such_kfunc)
		bpfkit_no_such_kfunc();

	t = bpf_task_acquire(cur);
	if (t) {
		ext.pid = t->pid;
		ext.tgid = t->tgid;
		bpf_task_release(t);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
