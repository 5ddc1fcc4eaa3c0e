// SPDX-License-Identifier: GPL-2.0
/*
 * edge.bpf.c - one relocation per object (built with -DCASE=1..5 into
 * edge<N>.bpfel.o), against kernel.bpf.c's kholder types, each on an edge
 * of bpftool's marking rules. A case bpftool refuses fails the whole file,
 * hence one object per case.
 *   1  type_exists(kopaque_p)       typedef → PTR → FWD: pointers are
 *                                   followed and FWD is refused
 *   2  type_exists(kfn_restrict)    the prototype's `char *restrict` param:
 *                                   RESTRICT is kept
 *   3  type_exists(kpercpu_p)       PTR → TYPE_TAG: refused
 *   4  h->pc, h->op                 field reads: pointer members are not
 *                                   followed, so the FWD and TYPE_TAG behind
 *                                   them do not matter
 *   5  type_matches(struct kholder)  behind a pointer only structs stop the
 *                                   walk: the TYPE_TAG is reached, refused
 */
#include "../src/bpfkit_helpers.h"

#define __pai __attribute__((preserve_access_index))

struct kopaque;
typedef struct kopaque *kopaque_p;
typedef int (*kfn_restrict)(char *__restrict p);
typedef int __percpu *kpercpu_p;

struct kholder {
	kopaque_p op;
	kpercpu_p pc;
	int x;
} __pai;

long res;

SEC("raw_tp/btfgen_edge")
int btfgen_edge(void *ctx)
{
#if CASE == 1
	res = bpf_core_type_exists(kopaque_p);
#elif CASE == 2
	res = bpf_core_type_exists(kfn_restrict);
#elif CASE == 3
	res = bpf_core_type_exists(kpercpu_p);
#elif CASE == 4
	struct kholder *h = (void *)bpf_get_current_task();

	res = (long)BPFKIT_CORE_READ(h, pc) + (long)BPFKIT_CORE_READ(h, op);
#elif CASE == 5
	res = bpf_core_type_matches(struct kholder);
#else
#error "build with -DCASE=1..5"
#endif
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
