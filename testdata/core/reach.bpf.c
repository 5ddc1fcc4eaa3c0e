// SPDX-License-Identifier: GPL-2.0
/*
 * reach.bpf.c - poisoned CO-RE relocations the verifier can and cannot
 * reach, relocated against target.bpf.c's BTF (where struct rec has no
 * `removed` and enum color no PURPLE). `bpfkit core` must fail only for
 * the programs marked REACHABLE below; src/reloc/reach.test.ts holds the
 * same list.
 */
#include "../src/bpfkit_helpers.h"

#define __pai __attribute__((preserve_access_index))

struct rec {
	int id;
	long removed;           /* missing in the target */
} __pai;

enum color { RED, GREEN, BLUE, PURPLE };  /* PURPLE missing in the target */

__u64 out[16];

/* Only called under a field_exists guard: its poisoned load is dead. */
static __noinline long read_removed_guarded(struct rec *r)
{
	return r->removed;
}

/* Called unconditionally: its poisoned load is live. */
static __noinline long read_removed_always(struct rec *r)
{
	return r->removed + 1;
}

/* NOT reachable: the guard resolves to 0 against the target. */
SEC("raw_tp/reach_guarded")
int reach_guarded(unsigned long long *ctx)
{
	struct rec *r = (struct rec *)ctx[0];

	out[0] = r->id;
	if (bpf_core_field_exists(r->removed))
		out[1] = r->removed;
	return 0;
}

/* REACHABLE: nothing guards the load. */
SEC("raw_tp/reach_unguarded")
int reach_unguarded(unsigned long long *ctx)
{
	struct rec *r = (struct rec *)ctx[0];

	out[2] = r->removed;
	return 0;
}

/* NOT reachable: enumval_exists guard. */
SEC("raw_tp/reach_enum_guarded")
int reach_enum_guarded(unsigned long long *ctx)
{
	if (bpf_core_enum_value_exists(enum color, PURPLE))
		out[3] = bpf_core_enum_value(enum color, PURPLE);
	out[4] = bpf_core_enum_value(enum color, GREEN);
	return 0;
}

/* NOT reachable: the sub-program is only called under the guard. */
SEC("raw_tp/reach_subprog_guarded")
int reach_subprog_guarded(unsigned long long *ctx)
{
	struct rec *r = (struct rec *)ctx[0];

	if (bpf_core_field_exists(r->removed))
		out[5] = read_removed_guarded(r);
	return 0;
}

/* REACHABLE: through an unconditional bpf-to-bpf call. */
SEC("raw_tp/reach_subprog_always")
int reach_subprog_always(unsigned long long *ctx)
{
	struct rec *r = (struct rec *)ctx[0];

	out[6] = read_removed_always(r);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
