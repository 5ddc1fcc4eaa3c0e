// SPDX-License-Identifier: GPL-2.0
/*
 * kreads.bpf.c - CO-RE reads of real kernel types (declared here, reduced,
 * with preserve_access_index), minimized against the running kernel's and
 * the corpus vmlinux BTF. Kernel BTF has what the hand-made kernel.bpf.c
 * lacks: members behind several anonymous unions/structs (qstr.len,
 * sock_common.skc_daddr, sk_buff.pkt_type in a struct_group), a const
 * struct inside a union (dentry.d_name), typedef'd structs (kuid_t),
 * zero-length marker arrays next to bitfields, and thousands of same-name
 * candidates to search.
 */
#include "../src/bpfkit_helpers.h"

#define __pai __attribute__((preserve_access_index))

typedef struct {
	unsigned int val;
} kuid_t;

struct qstr {
	union {
		struct {
			u32 hash;
			u32 len;
		};
		u64 hash_len;
	};
	const unsigned char *name;
} __pai;

struct dentry {
	struct dentry *d_parent;
	struct qstr d_name;
} __pai;

struct vfsmount;

struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
} __pai;

struct file {
	struct path f_path;
} __pai;

struct mm_struct {
	struct file *exe_file;
	unsigned long arg_start;
} __pai;

struct cred {
	kuid_t uid;
	kuid_t euid;
} __pai;

struct task_struct {
	int pid;
	int tgid;
	struct task_struct *real_parent;
	struct mm_struct *mm;
	const struct cred *cred;
	char comm[16];
} __pai;

struct sock_common {
	unsigned short skc_family;
	__be32 skc_daddr;
	__be16 skc_dport;
} __pai;

struct sock {
	struct sock_common __sk_common;
	u16 sk_protocol;
	u16 sk_type;
} __pai;

struct sk_buff {
	unsigned int len;
	__u8 pkt_type : 3;
	__u32 mark;
	__be16 protocol;
	struct sock *sk;
} __pai;

struct bpf_iter__task {
	struct task_struct *task;
} __pai;

struct bpfkit_not_in_any_kernel {
	int x;
} __pai;

enum pid_type {
	PIDTYPE_PID,
	PIDTYPE_TGID,
};

enum bpf_func_id {
	BPF_FUNC_get_current_task = 35,
};

long res[32];

SEC("kprobe/do_sys_openat2")
int kreads_task(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	struct mm_struct *mm = BPFKIT_CORE_READ(t, mm);
	struct file *exe = BPFKIT_CORE_READ(mm, exe_file);
	struct dentry *d = BPFKIT_CORE_READ(exe, f_path.dentry);
	struct cred *cred = (void *)BPFKIT_CORE_READ(t, cred);

	res[0] = BPFKIT_CORE_READ(t, pid);
	res[1] = BPFKIT_CORE_READ_2(t, real_parent, tgid);
	res[2] = BPFKIT_CORE_READ(mm, arg_start);
	res[3] = BPFKIT_CORE_READ(d, d_name.len);
	res[4] = (long)BPFKIT_CORE_READ(d, d_name.name);
	res[5] = (long)BPFKIT_CORE_READ_2(d, d_parent, d_name.hash);
	res[6] = BPFKIT_CORE_READ(cred, euid.val);
	res[7] = bpf_core_field_exists(t->cred);
	res[8] = BPFKIT_CORE_READ(t, comm[1]);
	return 0;
}

SEC("kprobe/ip_rcv")
int kreads_skb(void *ctx)
{
	struct sk_buff *skb = (void *)bpf_get_current_task();
	struct sock *sk = BPFKIT_CORE_READ(skb, sk);

	res[10] = BPFKIT_CORE_READ(skb, len);
	res[11] = BPFKIT_CORE_READ_BITFIELD(skb, pkt_type);
	res[12] = BPFKIT_CORE_READ(skb, mark);
	res[13] = BPFKIT_CORE_READ(skb, protocol);
	res[14] = BPFKIT_CORE_READ(sk, __sk_common.skc_family);
	res[15] = BPFKIT_CORE_READ(sk, __sk_common.skc_daddr);
	res[16] = BPFKIT_CORE_READ(sk, __sk_common.skc_dport);
	res[17] = BPFKIT_CORE_READ(sk, sk_protocol);
	return 0;
}

SEC("raw_tp/kreads_types")
int kreads_types(void *ctx)
{
	res[20] = bpf_core_type_size(struct task_struct);
	res[21] = bpf_core_type_matches(struct qstr);
	res[22] = bpf_core_type_id_kernel(struct sk_buff);
	res[23] = bpf_core_type_exists(struct bpf_iter__task);
	res[24] = bpf_core_type_exists(struct bpfkit_not_in_any_kernel);
	res[25] = bpf_core_enum_value(enum pid_type, PIDTYPE_TGID);
	res[26] = bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_get_current_task);
	res[27] = bpf_core_type_size(kuid_t);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
