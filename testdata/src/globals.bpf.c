// SPDX-License-Identifier: GPL-2.0
/*
 * globals.bpf.c - global data in every kind of data section.
 *
 * .data            initialised globals (global and static)
 * .rodata          const volatile configuration (scalars, arrays, structs)
 * .bss             zero-initialised globals (global and static)
 * .data.custom     custom writable section
 * .rodata.custom   custom read-only section
 * .rodata.str1.1   string literals emitted by the compiler
 */
#include "bpfkit_helpers.h"

struct config {
	__u32 sample_rate;
	__u16 port;
	__u8 verbose;
	__u8 flags;
	char tag[8];
};

struct totals {
	__u64 calls;
	__u64 last_pid;
	__u32 per_cpu_hint[4];
};

/* .rodata: set by the loader before load, read-only to the program. */
const volatile __u32 ro_enabled = 1;
const volatile __u64 ro_zero_scalar = 0;
const volatile struct config ro_config = {
	.sample_rate = 100,
	.port = 8080,
	.verbose = 1,
	.flags = 0x5a,
	.tag = "bpfkit",
};
const volatile __u32 ro_table[4] = { 1, 10, 100, 1000 };

/* .data: initialised, writable. */
__u64 data_counter = 42;
int data_signed = -7;
char data_name[16] = "globals";
static __u32 static_data = 0xdeadbeef;
struct totals data_totals = { .calls = 1, .per_cpu_hint = { 1, 2, 3, 4 } };

/* .bss: zero-initialised, writable. */
__u64 bss_counter;
__u64 bss_history[8];
struct totals bss_totals;
static __u32 static_bss;

/* Custom sections. */
__u32 custom_data_value SEC(".data.custom") = 1234;
__u64 custom_data_array[2] SEC(".data.custom") = { 5, 6 };
const volatile __u32 custom_ro_value SEC(".rodata.custom") = 77;
const volatile char custom_ro_name[8] SEC(".rodata.custom") = "custom";

static __always_inline void record(__u64 pid)
{
	__u32 slot = bss_counter & 7;

	bss_history[slot] = pid;
	bss_totals.calls++;
	bss_totals.last_pid = pid;
	bss_totals.per_cpu_hint[bpf_get_smp_processor_id() & 3]++;
	data_totals.calls++;
	static_bss += static_data;
	custom_data_array[pid & 1] += custom_ro_value;
}

SEC("tracepoint/syscalls/sys_enter_getpid")
int tp_getpid(void *ctx)
{
	__u64 pid = bpf_get_current_pid_tgid() >> 32;

	if (!ro_enabled)
		return 0;
	if (ro_config.sample_rate && (bss_counter % ro_config.sample_rate))
		goto out;

	record(pid);
	data_counter += ro_table[pid & 3];
	custom_data_value++;
	if (ro_config.verbose)
		/* Literal format string: lands in .rodata.str1.1. */
		bpf_trace_printk("getpid pid=%llu name=%s\n",
				 sizeof("getpid pid=%llu name=%s\n"), pid,
				 data_name);
out:
	bss_counter++;
	return 0;
}

SEC("raw_tp/sys_enter")
int raw_sys_enter(void *ctx)
{
	if (custom_ro_name[0] == 'c' && ro_config.port == 8080)
		data_signed--;
	bss_counter += ro_zero_scalar;
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
