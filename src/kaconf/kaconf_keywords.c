// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kaconf_keywords.c - the keywords the VRRP process of keepalived 2.2.7
 * (Debian 12 build) installs, per block, and what follows each one.
 *
 * keepalived does not skip the block of a keyword it does not know (see
 * kaconf_parse.c), so knowing every keyword matters even for those whose
 * values vrrpwatch ignores. The lists were taken from keepalived.conf(5)
 * of 2.2.7 and checked one by one against /usr/sbin/keepalived -t: a
 * keyword is listed when keepalived does not report it as unknown there.
 */
#include <string.h>

#include "kaconf/kaconf_internal.h"

struct kw {
	const char *name;
	enum ka_kw_kind kind;
	enum ka_level sub;      /* for KA_KW_SUBLEVEL */
};

#define P(n) { n, KA_KW_PLAIN, KA_LVL_ROOT }
#define V(n) { n, KA_KW_VALUE, KA_LVL_ROOT }
#define S(n, l) { n, KA_KW_SUBLEVEL, l }
#define X(n) { n, KA_KW_INACTIVE, KA_LVL_ROOT }

static const struct kw root_kw[] = {
	S("global_defs", KA_LVL_GLOBAL),
	S("vrrp_instance", KA_LVL_INSTANCE),
	S("vrrp_sync_group", KA_LVL_SYNC),
	S("vrrp_script", KA_LVL_SCRIPT),
	S("vrrp_track_process", KA_LVL_TPROCESS),
	S("vrrp_track_file", KA_LVL_TFILE),
	S("track_file", KA_LVL_TFILE),
	S("garp_group", KA_LVL_GARP),
	S("track_group", KA_LVL_TGROUP),
	V("static_ipaddress"),
	V("static_routes"),
	V("static_rules"),
	V("linkbeat_interfaces"),
	V("interface_up_down_delays"),
	/* the checker's and BFD's blocks: not read by the VRRP process */
	X("virtual_server"),
	X("virtual_server_group"),
	X("SSL"),
	X("bfd_instance"),
	P("net_namespace"),
	P("net_namespace_ipvs"),
	P("namespace_with_ipsets"),
	P("instance"),
	P("use_pid_dir"),
	P("linkbeat_use_polling"),
	P("child_wait_time"),
};

static const struct kw global_kw[] = {
	V("notification_email"),
	P("bfd_cpu_affinity"), P("bfd_no_swap"), P("bfd_priority"), P("bfd_process_name"),
	P("bfd_rlimit_rtime"), P("bfd_rlimit_rttime"), P("bfd_rt_priority"),
	P("checker_cpu_affinity"), P("checker_log_all_failures"), P("checker_no_swap"),
	P("checker_priority"), P("checker_process_name"), P("checker_rlimit_rtime"),
	P("checker_rlimit_rttime"), P("checker_rt_priority"),
	P("config_save_dir"), P("data_use_instance"), P("dbus_service_name"),
	P("default_interface"), P("disable_local_igmp"), P("dynamic_interfaces"),
	P("enable_dbus"), P("enable_script_security"), P("enable_snmp_checker"),
	P("enable_snmp_keepalived"), P("enable_snmp_rfc"), P("enable_snmp_rfcv2"),
	P("enable_snmp_rfcv3"), P("enable_snmp_vrrp"), P("enable_traps"),
	P("fifo_write_vrrp_states_on_reload"), P("include_check"), P("log_unknown_vrids"),
	P("lvs_flush"), P("lvs_flush_on_stop"), P("lvs_flush_onstop"),
	P("lvs_netlink_cmd_rcv_bufs"), P("lvs_netlink_cmd_rcv_bufs_force"),
	P("lvs_netlink_monitor_rcv_bufs"), P("lvs_netlink_monitor_rcv_bufs_force"),
	P("lvs_notify_fifo"), P("lvs_notify_fifo_script"), P("lvs_process_name"),
	P("lvs_sync_daemon"), P("lvs_timeouts"), P("max_auto_priority"),
	P("min_auto_priority_delay"), P("nftables"), P("nftables_counters"),
	P("nftables_ifindex"), P("nftables_ipvs"), P("nftables_ipvs_priority"),
	P("nftables_ipvs_start_fwmark"), P("nftables_priority"), P("no_checker_emails"),
	P("no_email_faults"), P("notification_email_from"), P("notify_fifo"),
	P("notify_fifo_script"), P("process_monitor_rcv_bufs"),
	P("process_monitor_rcv_bufs_force"), P("process_name"), P("process_names"),
	P("random_seed"), P("reload_check_config"), P("reload_file"), P("reload_repeat"),
	P("reload_time_file"), P("router_id"), P("rs_init_notifies"), P("script_user"),
	P("shutdown_script"), P("shutdown_script_timeout"), P("smtp_alert"),
	P("smtp_alert_checker"), P("smtp_alert_vrrp"), P("smtp_connect_timeout"),
	P("smtp_helo_name"), P("smtp_server"), P("snmp_socket"), P("startup_script"),
	P("startup_script_timeout"), P("tmp_config_directory"), P("umask"),
	P("vmac_addr_prefix"), P("vmac_prefix"), P("vrrp_check_unicast_src"),
	P("vrrp_cpu_affinity"), P("vrrp_down_timer_adverts"), P("vrrp_garp_extra_if"),
	P("vrrp_garp_interval"), P("vrrp_garp_lower_prio_delay"),
	P("vrrp_garp_lower_prio_repeat"), P("vrrp_garp_master_delay"),
	P("vrrp_garp_master_refresh"), P("vrrp_garp_master_refresh_repeat"),
	P("vrrp_garp_master_repeat"), P("vrrp_gna_interval"),
	P("vrrp_higher_prio_send_advert"), P("vrrp_iptables"), P("vrrp_lower_prio_no_advert"),
	P("vrrp_mcast_group4"), P("vrrp_mcast_group6"), P("vrrp_min_garp"),
	P("vrrp_netlink_cmd_rcv_bufs"), P("vrrp_netlink_cmd_rcv_bufs_force"),
	P("vrrp_netlink_monitor_rcv_bufs"), P("vrrp_netlink_monitor_rcv_bufs_force"),
	P("vrrp_no_swap"), P("vrrp_notify_fifo"), P("vrrp_notify_fifo_script"),
	P("vrrp_notify_priority_changes"), P("vrrp_priority"), P("vrrp_process_name"),
	P("vrrp_rlimit_rtime"), P("vrrp_rlimit_rttime"), P("vrrp_rt_priority"),
	P("vrrp_rx_bufs_multiplier"), P("vrrp_rx_bufs_policy"), P("vrrp_skip_check_adv_addr"),
	P("vrrp_startup_delay"), P("vrrp_strict"), P("vrrp_version"), P("vrrp_vmac_garp_intvl"),
	/* keepalived >= 2.2.8; 2.2.7 calls it unknown, but it has no block */
	P("v3_checksum_as_v2"),
};

static const struct kw inst_kw[] = {
	S("authentication", KA_LVL_AUTH),
	V("track_bfd"), V("track_file"), V("track_interface"), V("track_process"),
	V("track_script"), V("unicast_peer"), V("virtual_ipaddress"),
	V("virtual_ipaddress_excluded"), V("virtual_routes"), V("virtual_rules"),
	P("accept"), P("advert_int"), P("check_unicast_src"), P("debug"),
	P("dont_track_primary"), P("down_timer_adverts"), P("garp_extra_if"),
	P("garp_lower_prio_delay"), P("garp_lower_prio_repeat"), P("garp_master_delay"),
	P("garp_master_refresh"), P("garp_master_refresh_repeat"), P("garp_master_repeat"),
	P("higher_prio_send_advert"), P("interface"), P("kernel_rx_buf_size"),
	P("linkbeat_use_polling"), P("lower_prio_no_advert"), P("lvs_sync_daemon_interface"),
	P("mcast_dst_ip"), P("mcast_src_ip"), P("native_ipv6"), P("no_accept"), P("nopreempt"),
	P("notify"), P("notify_backup"), P("notify_deleted"), P("notify_fault"),
	P("notify_master"), P("notify_master_rx_lower_pri"), P("notify_priority_changes"),
	P("notify_stop"), P("old_unicast_checksum"), P("preempt"), P("preempt_delay"),
	P("priority"), P("promote_secondaries"), P("skip_check_adv_addr"), P("smtp_alert"),
	P("state"), P("strict_mode"), P("track_src_ip"), P("unicast_fault_no_peer"),
	P("unicast_src_ip"), P("unicast_ttl"), P("use_ipvlan"), P("use_vmac"),
	P("use_vmac_addr"), P("version"), P("virtual_router_id"), P("vmac_garp_intvl"),
	P("vmac_xmit_base"), P("vrf"),
	/* keepalived >= 2.2.8; 2.2.7 calls it unknown, but it has no block */
	P("v3_checksum_as_v2"),
};

static const struct kw auth_kw[] = {
	P("auth_type"), P("auth_pass"),
};

static const struct kw sync_kw[] = {
	V("group"), V("track_bfd"), V("track_file"), V("track_interface"),
	V("track_process"), V("track_script"),
	P("global_tracking"), P("notify"), P("notify_backup"), P("notify_fault"),
	P("notify_master"), P("notify_priority_changes"), P("notify_stop"),
	P("smtp_alert"), P("sync_group_tracking_weight"),
};

static const struct kw script_kw[] = {
	P("script"), P("interval"), P("timeout"), P("weight"), P("rise"), P("fall"),
	P("user"), P("init_fail"),
};

static const struct kw tprocess_kw[] = {
	P("process"), P("param_match"), P("weight"), P("quorum"), P("quorum_max"),
	P("delay"), P("terminate_delay"), P("fork_delay"), P("full_command"),
};

static const struct kw tfile_kw[] = {
	P("file"), P("weight"), P("init_file"),
};

static const struct kw garp_kw[] = {
	P("garp_interval"), P("gna_interval"), P("interface"), V("interfaces"),
};

static const struct kw tgroup_kw[] = {
	V("group"),
};

struct kw_level {
	const struct kw *kw;
	size_t n;
};

#define L(a) { a, sizeof(a) / sizeof((a)[0]) }

static const struct kw_level levels[KA_LVL_COUNT] = {
	[KA_LVL_ROOT] = L(root_kw),
	[KA_LVL_GLOBAL] = L(global_kw),
	[KA_LVL_INSTANCE] = L(inst_kw),
	[KA_LVL_AUTH] = L(auth_kw),
	[KA_LVL_SYNC] = L(sync_kw),
	[KA_LVL_SCRIPT] = L(script_kw),
	[KA_LVL_TPROCESS] = L(tprocess_kw),
	[KA_LVL_TFILE] = L(tfile_kw),
	[KA_LVL_GARP] = L(garp_kw),
	[KA_LVL_TGROUP] = L(tgroup_kw),
};

static const struct kw *find(enum ka_level level, const char *name)
{
	const struct kw_level *l;

	if ((unsigned)level >= KA_LVL_COUNT)
		return NULL;
	l = &levels[level];
	for (size_t i = 0; i < l->n; i++) {
		if (!strcmp(l->kw[i].name, name))
			return &l->kw[i];
	}
	return NULL;
}

bool ka_keyword_lookup(enum ka_level level, const char *name, enum ka_kw_kind *kind)
{
	const struct kw *k = find(level, name);

	if (!k)
		return false;
	*kind = k->kind;
	return true;
}

enum ka_level ka_keyword_sublevel(enum ka_level level, const char *name)
{
	const struct kw *k = find(level, name);

	return k ? k->sub : KA_LVL_ROOT;
}
