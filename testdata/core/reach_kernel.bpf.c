// SPDX-License-Identifier: GPL-2.0
/*
 * reach_kernel.bpf.c - a CO-RE read of a task_struct field no kernel has,
 * relocated by libbpf against the running kernel's BTF and loaded into the
 * verifier. Built twice: guarded by bpf_core_field_exists (the poisoned
 * instruction is dead code: the kernel accepts the program) and, with
 * -DUNGUARDED, not guarded (the verifier walks into the poisoned call and
 * refuses it). `bpfkit core` must agree: reachable only in the second.
 */
#include "../src/bpfkit_helpers.h"

#define __pai __attribute__((preserve_access_index))

struct task_struct___bpfkit {
	int pid;
	int bpfkit_no_such_field;
} __pai;

int out;

SEC("raw_tp/sys_enter")
int reach_kernel(void *ctx)
{
	struct task_struct___bpfkit *t = (void *)bpf_get_current_task();
	int v = 0;

#ifndef UNGUARDED
	if (bpf_core_field_exists(t->bpfkit_no_such_field))
#endif
		bpf_probe_read_kernel(&v, sizeof(v), __builtin_preserve_access_index(&t->bpfkit_no_such_field));
	out = v;
	bpf_probe_read_kernel(&v, sizeof(v), __builtin_preserve_access_index(&t->pid));
	out += v;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
