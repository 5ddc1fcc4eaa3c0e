import { attachTypeNumber, progTypeNumber, type AttachTypeName, type ProgTypeName } from './bpf-enums.js';

/**
 * libbpf's table of program section names (`section_defs[]` in libbpf.c),
 * as data. It mirrors libbpf at commit 00db402 of github.com/libbpf/libbpf
 * (the v1.4 line) plus the kprobe/uprobe session entries of libbpf v1.5,
 * kept in libbpf's order because the first matching entry wins.
 *
 * Matching, as libbpf's sec_def_matches(): an entry ending in '/' matches
 * names that start with it; an entry ending in '+' matches the name itself
 * or the name followed by '/' and anything; any other entry matches only
 * itself. A leading '?' on the ELF section name (autoload off) is removed
 * before matching.
 */

/** Flags of a definition (libbpf's SEC_* cookie bits). */
export const SEC_EXP_ATTACH_OPT = 1;
export const SEC_ATTACHABLE = 2;
export const SEC_ATTACHABLE_OPT = SEC_ATTACHABLE | SEC_EXP_ATTACH_OPT;
export const SEC_ATTACH_BTF = 4;
export const SEC_SLEEPABLE = 8;
export const SEC_XDP_FRAGS = 16;
export const SEC_USDT = 32;

export interface SecDef {
  /** The pattern as libbpf writes it ("kprobe+", "xdp", "sk_skb/stream_parser"). */
  sec: string;
  progType: ProgTypeName;
  /** Expected attach type; undefined where libbpf's table has 0. */
  attachType: AttachTypeName | undefined;
  flags: number;
}

type Row = [string, ProgTypeName, AttachTypeName | 0, number];

const N = 0;
const ROWS: Row[] = [
  ['socket', 'SOCKET_FILTER', 0, N],
  ['sk_reuseport/migrate', 'SK_REUSEPORT', 'SK_REUSEPORT_SELECT_OR_MIGRATE', SEC_ATTACHABLE],
  ['sk_reuseport', 'SK_REUSEPORT', 'SK_REUSEPORT_SELECT', SEC_ATTACHABLE],
  ['kprobe+', 'KPROBE', 0, N],
  ['uprobe+', 'KPROBE', 0, N],
  ['uprobe.s+', 'KPROBE', 0, SEC_SLEEPABLE],
  ['kretprobe+', 'KPROBE', 0, N],
  ['uretprobe+', 'KPROBE', 0, N],
  ['uretprobe.s+', 'KPROBE', 0, SEC_SLEEPABLE],
  ['kprobe.multi+', 'KPROBE', 'TRACE_KPROBE_MULTI', N],
  ['kretprobe.multi+', 'KPROBE', 'TRACE_KPROBE_MULTI', N],
  ['kprobe.session+', 'KPROBE', 'TRACE_KPROBE_SESSION', N],
  ['uprobe.multi+', 'KPROBE', 'TRACE_UPROBE_MULTI', N],
  ['uretprobe.multi+', 'KPROBE', 'TRACE_UPROBE_MULTI', N],
  ['uprobe.session+', 'KPROBE', 'TRACE_UPROBE_SESSION', N],
  ['uprobe.multi.s+', 'KPROBE', 'TRACE_UPROBE_MULTI', SEC_SLEEPABLE],
  ['uretprobe.multi.s+', 'KPROBE', 'TRACE_UPROBE_MULTI', SEC_SLEEPABLE],
  ['uprobe.session.s+', 'KPROBE', 'TRACE_UPROBE_SESSION', SEC_SLEEPABLE],
  ['ksyscall+', 'KPROBE', 0, N],
  ['kretsyscall+', 'KPROBE', 0, N],
  ['usdt+', 'KPROBE', 0, SEC_USDT],
  ['usdt.s+', 'KPROBE', 0, SEC_USDT | SEC_SLEEPABLE],
  ['tc/ingress', 'SCHED_CLS', 'TCX_INGRESS', N],
  ['tc/egress', 'SCHED_CLS', 'TCX_EGRESS', N],
  ['tcx/ingress', 'SCHED_CLS', 'TCX_INGRESS', N],
  ['tcx/egress', 'SCHED_CLS', 'TCX_EGRESS', N],
  ['tc', 'SCHED_CLS', 0, N],
  ['classifier', 'SCHED_CLS', 0, N],
  ['action', 'SCHED_ACT', 0, N],
  ['netkit/primary', 'SCHED_CLS', 'NETKIT_PRIMARY', N],
  ['netkit/peer', 'SCHED_CLS', 'NETKIT_PEER', N],
  ['tracepoint+', 'TRACEPOINT', 0, N],
  ['tp+', 'TRACEPOINT', 0, N],
  ['raw_tracepoint+', 'RAW_TRACEPOINT', 0, N],
  ['raw_tp+', 'RAW_TRACEPOINT', 0, N],
  ['raw_tracepoint.w+', 'RAW_TRACEPOINT_WRITABLE', 0, N],
  ['raw_tp.w+', 'RAW_TRACEPOINT_WRITABLE', 0, N],
  ['tp_btf+', 'TRACING', 'TRACE_RAW_TP', SEC_ATTACH_BTF],
  ['fentry+', 'TRACING', 'TRACE_FENTRY', SEC_ATTACH_BTF],
  ['fmod_ret+', 'TRACING', 'MODIFY_RETURN', SEC_ATTACH_BTF],
  ['fexit+', 'TRACING', 'TRACE_FEXIT', SEC_ATTACH_BTF],
  ['fentry.s+', 'TRACING', 'TRACE_FENTRY', SEC_ATTACH_BTF | SEC_SLEEPABLE],
  ['fmod_ret.s+', 'TRACING', 'MODIFY_RETURN', SEC_ATTACH_BTF | SEC_SLEEPABLE],
  ['fexit.s+', 'TRACING', 'TRACE_FEXIT', SEC_ATTACH_BTF | SEC_SLEEPABLE],
  ['freplace+', 'EXT', 0, SEC_ATTACH_BTF],
  ['lsm+', 'LSM', 'LSM_MAC', SEC_ATTACH_BTF],
  ['lsm.s+', 'LSM', 'LSM_MAC', SEC_ATTACH_BTF | SEC_SLEEPABLE],
  ['lsm_cgroup+', 'LSM', 'LSM_CGROUP', SEC_ATTACH_BTF],
  ['iter+', 'TRACING', 'TRACE_ITER', SEC_ATTACH_BTF],
  ['iter.s+', 'TRACING', 'TRACE_ITER', SEC_ATTACH_BTF | SEC_SLEEPABLE],
  ['syscall', 'SYSCALL', 0, SEC_SLEEPABLE],
  ['xdp.frags/devmap', 'XDP', 'XDP_DEVMAP', SEC_XDP_FRAGS],
  ['xdp/devmap', 'XDP', 'XDP_DEVMAP', SEC_ATTACHABLE],
  ['xdp.frags/cpumap', 'XDP', 'XDP_CPUMAP', SEC_XDP_FRAGS],
  ['xdp/cpumap', 'XDP', 'XDP_CPUMAP', SEC_ATTACHABLE],
  ['xdp.frags', 'XDP', 'XDP', SEC_XDP_FRAGS],
  ['xdp', 'XDP', 'XDP', SEC_ATTACHABLE_OPT],
  ['perf_event', 'PERF_EVENT', 0, N],
  ['lwt_in', 'LWT_IN', 0, N],
  ['lwt_out', 'LWT_OUT', 0, N],
  ['lwt_xmit', 'LWT_XMIT', 0, N],
  ['lwt_seg6local', 'LWT_SEG6LOCAL', 0, N],
  ['sockops', 'SOCK_OPS', 'CGROUP_SOCK_OPS', SEC_ATTACHABLE_OPT],
  ['sk_skb/stream_parser', 'SK_SKB', 'SK_SKB_STREAM_PARSER', SEC_ATTACHABLE_OPT],
  ['sk_skb/stream_verdict', 'SK_SKB', 'SK_SKB_STREAM_VERDICT', SEC_ATTACHABLE_OPT],
  ['sk_skb', 'SK_SKB', 0, N],
  ['sk_msg', 'SK_MSG', 'SK_MSG_VERDICT', SEC_ATTACHABLE_OPT],
  ['lirc_mode2', 'LIRC_MODE2', 'LIRC_MODE2', SEC_ATTACHABLE_OPT],
  ['flow_dissector', 'FLOW_DISSECTOR', 'FLOW_DISSECTOR', SEC_ATTACHABLE_OPT],
  ['cgroup_skb/ingress', 'CGROUP_SKB', 'CGROUP_INET_INGRESS', SEC_ATTACHABLE_OPT],
  ['cgroup_skb/egress', 'CGROUP_SKB', 'CGROUP_INET_EGRESS', SEC_ATTACHABLE_OPT],
  ['cgroup/skb', 'CGROUP_SKB', 0, N],
  ['cgroup/sock_create', 'CGROUP_SOCK', 'CGROUP_INET_SOCK_CREATE', SEC_ATTACHABLE],
  ['cgroup/sock_release', 'CGROUP_SOCK', 'CGROUP_INET_SOCK_RELEASE', SEC_ATTACHABLE],
  ['cgroup/sock', 'CGROUP_SOCK', 'CGROUP_INET_SOCK_CREATE', SEC_ATTACHABLE_OPT],
  ['cgroup/post_bind4', 'CGROUP_SOCK', 'CGROUP_INET4_POST_BIND', SEC_ATTACHABLE],
  ['cgroup/post_bind6', 'CGROUP_SOCK', 'CGROUP_INET6_POST_BIND', SEC_ATTACHABLE],
  ['cgroup/bind4', 'CGROUP_SOCK_ADDR', 'CGROUP_INET4_BIND', SEC_ATTACHABLE],
  ['cgroup/bind6', 'CGROUP_SOCK_ADDR', 'CGROUP_INET6_BIND', SEC_ATTACHABLE],
  ['cgroup/connect4', 'CGROUP_SOCK_ADDR', 'CGROUP_INET4_CONNECT', SEC_ATTACHABLE],
  ['cgroup/connect6', 'CGROUP_SOCK_ADDR', 'CGROUP_INET6_CONNECT', SEC_ATTACHABLE],
  ['cgroup/connect_unix', 'CGROUP_SOCK_ADDR', 'CGROUP_UNIX_CONNECT', SEC_ATTACHABLE],
  ['cgroup/sendmsg4', 'CGROUP_SOCK_ADDR', 'CGROUP_UDP4_SENDMSG', SEC_ATTACHABLE],
  ['cgroup/sendmsg6', 'CGROUP_SOCK_ADDR', 'CGROUP_UDP6_SENDMSG', SEC_ATTACHABLE],
  ['cgroup/sendmsg_unix', 'CGROUP_SOCK_ADDR', 'CGROUP_UNIX_SENDMSG', SEC_ATTACHABLE],
  ['cgroup/recvmsg4', 'CGROUP_SOCK_ADDR', 'CGROUP_UDP4_RECVMSG', SEC_ATTACHABLE],
  ['cgroup/recvmsg6', 'CGROUP_SOCK_ADDR', 'CGROUP_UDP6_RECVMSG', SEC_ATTACHABLE],
  ['cgroup/recvmsg_unix', 'CGROUP_SOCK_ADDR', 'CGROUP_UNIX_RECVMSG', SEC_ATTACHABLE],
  ['cgroup/getpeername4', 'CGROUP_SOCK_ADDR', 'CGROUP_INET4_GETPEERNAME', SEC_ATTACHABLE],
  ['cgroup/getpeername6', 'CGROUP_SOCK_ADDR', 'CGROUP_INET6_GETPEERNAME', SEC_ATTACHABLE],
  ['cgroup/getpeername_unix', 'CGROUP_SOCK_ADDR', 'CGROUP_UNIX_GETPEERNAME', SEC_ATTACHABLE],
  ['cgroup/getsockname4', 'CGROUP_SOCK_ADDR', 'CGROUP_INET4_GETSOCKNAME', SEC_ATTACHABLE],
  ['cgroup/getsockname6', 'CGROUP_SOCK_ADDR', 'CGROUP_INET6_GETSOCKNAME', SEC_ATTACHABLE],
  ['cgroup/getsockname_unix', 'CGROUP_SOCK_ADDR', 'CGROUP_UNIX_GETSOCKNAME', SEC_ATTACHABLE],
  ['cgroup/sysctl', 'CGROUP_SYSCTL', 'CGROUP_SYSCTL', SEC_ATTACHABLE],
  ['cgroup/getsockopt', 'CGROUP_SOCKOPT', 'CGROUP_GETSOCKOPT', SEC_ATTACHABLE],
  ['cgroup/setsockopt', 'CGROUP_SOCKOPT', 'CGROUP_SETSOCKOPT', SEC_ATTACHABLE],
  ['cgroup/dev', 'CGROUP_DEVICE', 'CGROUP_DEVICE', SEC_ATTACHABLE_OPT],
  ['struct_ops+', 'STRUCT_OPS', 0, N],
  ['struct_ops.s+', 'STRUCT_OPS', 0, SEC_SLEEPABLE],
  ['sk_lookup', 'SK_LOOKUP', 'SK_LOOKUP', SEC_ATTACHABLE],
  ['netfilter', 'NETFILTER', 'NETFILTER', N],
];

export const SECTION_DEFS: readonly SecDef[] = ROWS.map(([sec, progType, attach, flags]) => ({
  sec,
  progType,
  attachType: attach === 0 ? undefined : attach,
  flags,
}));

/** libbpf's sec_def_matches(). */
export function secDefMatches(def: SecDef, secName: string): boolean {
  const pattern = def.sec;
  const last = pattern[pattern.length - 1];
  if (last === '/') return secName.startsWith(pattern);
  if (last === '+') {
    const prefix = pattern.slice(0, -1);
    if (!secName.startsWith(prefix)) return false;
    return secName.length === prefix.length || secName[prefix.length] === '/';
  }
  return secName === pattern;
}

export interface SecMatch {
  def: SecDef;
  progType: number;
  /** 0 where libbpf's table has no attach type. */
  expectedAttachType: number;
  /** BPF_F_SLEEPABLE / BPF_F_XDP_HAS_FRAGS as libbpf sets them at load. */
  progFlags: number;
}

export const BPF_F_SLEEPABLE = 1 << 4;
export const BPF_F_XDP_HAS_FRAGS = 1 << 5;

/** The first definition matching an ELF section name (without its '?'). */
export function findSecDef(secName: string): SecMatch | undefined {
  for (const def of SECTION_DEFS) {
    if (!secDefMatches(def, secName)) continue;
    let progFlags = 0;
    if (def.flags & SEC_SLEEPABLE) progFlags |= BPF_F_SLEEPABLE;
    if (def.flags & SEC_XDP_FRAGS) progFlags |= BPF_F_XDP_HAS_FRAGS;
    return {
      def,
      progType: progTypeNumber(def.progType),
      expectedAttachType: def.attachType === undefined ? 0 : attachTypeNumber(def.attachType),
      progFlags,
    };
  }
  return undefined;
}
