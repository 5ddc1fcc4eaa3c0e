// SPDX-License-Identifier: GPL-2.0
/*
 * core.bpf.c - CO-RE relocations of every kind.
 *
 * Kernel-like types are declared locally with preserve_access_index, so all
 * field accesses become relocatable. Relocation kinds exercised:
 *   field byte_offset / byte_size / exists / signed / lshift_u64 / rshift_u64
 *   type_id_local / type_id_target, type_exists / type_size / type_matches
 *   enumval_exists / enumval_value (32-bit ENUM and 64-bit ENUM64)
 * plus "___flavor" suffixed types (task_struct___old, ...) and a type that
 * does not exist in any kernel (guarded, so it resolves to "missing").
 *
 * Programs: kprobe/, raw_tp/ and tp_btf/ (direct BTF pointer reads).
 */
#include "bpfkit_helpers.h"

struct mm_struct {
	unsigned long task_size;
	unsigned long start_stack;
} __attribute__((preserve_access_index));

struct task_struct {
	unsigned int __state;
	unsigned int flags;
	int prio;
	struct mm_struct *mm;
	/* Bitfields, as in the kernel. */
	unsigned sched_reset_on_fork : 1;
	unsigned sched_contributes_to_load : 1;
	unsigned in_execve : 1;
	unsigned in_iowait : 1;
	int pid;
	int tgid;
	struct task_struct *real_parent;
	char comm[16];
} __attribute__((preserve_access_index));

/* Older kernels: `long state` instead of `unsigned int __state`. */
struct task_struct___old {
	long state;
	int pid;
} __attribute__((preserve_access_index));

/* Same bitfield seen as a signed field: SIGNED/LSHIFT/RSHIFT relocations. */
struct task_struct___signed_bits {
	int in_iowait : 1;
	int sched_contributes_to_load : 1;
} __attribute__((preserve_access_index));

/* A type that exists in no kernel; every use is guarded by type_exists. */
struct bpfkit_no_such_type {
	long long before;
	int odd : 3;
	int wide : 29;
	unsigned long long big : 41;
} __attribute__((preserve_access_index));

/* Kernel enum (32-bit). */
enum pid_type {
	PIDTYPE_PID,
	PIDTYPE_TGID,
	PIDTYPE_PGID,
	PIDTYPE_SID,
	PIDTYPE_MAX,
};

/* Flavor of the same enum with an enumerator no kernel has. */
enum pid_type___future {
	PIDTYPE_FUTURE = 42,
};

/* Kernel enum with 64-bit values: emitted as BTF_KIND_ENUM64. */
enum perf_callchain_context {
	PERF_CONTEXT_HV = 0xffffffffffffffe0ULL,
	PERF_CONTEXT_KERNEL = 0xffffffffffffff80ULL,
	PERF_CONTEXT_USER = 0xfffffffffffffe00ULL,
	PERF_CONTEXT_MAX = 0xfffffffffffff001ULL,
};

/* Signed 64-bit enum that does not exist in the kernel. */
enum bpfkit_signed64 {
	BPFKIT_S64_MIN = -0x7fffffffffffffffLL - 1,
	BPFKIT_S64_NEG = -5000000000LL,
	BPFKIT_S64_POS = 5000000000LL,
};

struct core_results {
	/* field relocations */
	__u32 pid_offset;
	__u32 pid_size;
	__u32 has_state;
	__u32 has_old_state;
	__u32 bit_offset;
	__u32 bit_size;
	__u32 bit_signed;
	__u32 bit_lshift;
	__u32 bit_rshift;
	__u64 in_iowait;
	__s64 in_iowait_signed;
	__u64 fake_odd;
	/* type relocations */
	__u32 task_local_id;
	__u32 task_target_id;
	__u32 task_exists;
	__u32 task_size;
	__u32 task_matches;
	__u32 fake_exists;
	__u32 mm_size;
	/* enum relocations */
	__u32 has_sid;
	__u32 sid_value;
	__u32 has_future;
	__u32 has_kernel_ctx;
	__u64 kernel_ctx_value;
	__u64 s64_value;
	/* values read through CO-RE */
	int pid;
	int ppid;
	unsigned long state;
	char comm[16];
};

struct core_results results;

static __always_inline void field_relocs(struct task_struct *t)
{
	struct task_struct___old *old = (void *)t;
	struct task_struct___signed_bits *sb = (void *)t;

	results.pid_offset = bpf_core_field_offset(t->pid);
	results.pid_size = bpf_core_field_size(t->pid);
	results.has_state = bpf_core_field_exists(t->__state);
	results.has_old_state = bpf_core_field_exists(old->state);

	if (bpf_core_field_exists(t->__state))
		results.state = BPFKIT_CORE_READ(t, __state);
	else if (bpf_core_field_exists(old->state))
		results.state = BPFKIT_CORE_READ(old, state);

	results.bit_offset = bpf_core_field_offset(t->in_iowait);
	results.bit_size = bpf_core_field_size(t->in_iowait);
	results.bit_signed = bpf_core_field_signed(sb->in_iowait);
	results.bit_lshift = bpf_core_field_lshift(t->in_iowait);
	results.bit_rshift = bpf_core_field_rshift(t->in_iowait);
	results.in_iowait = BPFKIT_CORE_READ_BITFIELD(t, in_iowait);
	results.in_iowait_signed =
		(__s64)BPFKIT_CORE_READ_BITFIELD(sb, sched_contributes_to_load);
}

static __always_inline void type_relocs(void)
{
	results.task_local_id = bpf_core_type_id_local(struct task_struct);
	results.task_target_id = bpf_core_type_id_kernel(struct task_struct);
	results.task_exists = bpf_core_type_exists(struct task_struct);
	results.task_size = bpf_core_type_size(struct task_struct);
	results.task_matches = bpf_core_type_matches(struct task_struct);
	results.mm_size = bpf_core_type_size(struct mm_struct);
	results.fake_exists = bpf_core_type_exists(struct bpfkit_no_such_type);
}

static __always_inline void enum_relocs(void)
{
	results.has_sid = bpf_core_enum_value_exists(enum pid_type, PIDTYPE_SID);
	if (bpf_core_enum_value_exists(enum pid_type, PIDTYPE_SID))
		results.sid_value = bpf_core_enum_value(enum pid_type, PIDTYPE_SID);
	results.has_future =
		bpf_core_enum_value_exists(enum pid_type___future, PIDTYPE_FUTURE);
	results.has_kernel_ctx = bpf_core_enum_value_exists(
		enum perf_callchain_context, PERF_CONTEXT_KERNEL);
	if (bpf_core_enum_value_exists(enum perf_callchain_context,
				       PERF_CONTEXT_KERNEL))
		results.kernel_ctx_value = bpf_core_enum_value(
			enum perf_callchain_context, PERF_CONTEXT_KERNEL);
	if (bpf_core_enum_value_exists(enum bpfkit_signed64, BPFKIT_S64_NEG))
		results.s64_value =
			bpf_core_enum_value(enum bpfkit_signed64, BPFKIT_S64_NEG);
}

/* kprobe: probe-read based CO-RE (bpf_probe_read_kernel + relocations). */
SEC("kprobe/do_nanosleep")
int kprobe_core(struct pt_regs *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();

	results.pid = BPFKIT_CORE_READ(t, pid);
	results.ppid = BPFKIT_CORE_READ_2(t, real_parent, tgid);
	bpf_probe_read_kernel_str(results.comm, sizeof(results.comm),
				  __builtin_preserve_access_index(&t->comm));
	field_relocs(t);
	type_relocs();
	enum_relocs();
	return 0;
}

/* raw tracepoint: guarded access to a type no kernel has. */
SEC("raw_tp/sched_process_exec")
int raw_tp_core(void *ctx)
{
	struct bpfkit_no_such_type *fake = (void *)bpf_get_current_task();

	if (bpf_core_type_exists(struct bpfkit_no_such_type)) {
		results.fake_odd = BPFKIT_CORE_READ_BITFIELD(fake, odd) +
				   BPFKIT_CORE_READ_BITFIELD(fake, big);
	}
	results.mm_size += bpf_core_field_size(
		((struct task_struct *)0)->mm->start_stack);
	return 0;
}

/*
 * tp_btf: arguments are typed kernel pointers, so fields are read with plain
 * loads that still carry CO-RE relocations.
 */
SEC("tp_btf/sched_switch")
int tp_btf_core(__u64 *ctx)
{
	struct task_struct *prev = (struct task_struct *)ctx[1];
	struct task_struct *next = (struct task_struct *)ctx[2];

	results.pid = next->pid;
	results.ppid = prev->real_parent->tgid;
	if (bpf_core_field_exists(prev->__state))
		results.state = prev->__state;
	results.task_size = bpf_core_type_size(struct task_struct);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
