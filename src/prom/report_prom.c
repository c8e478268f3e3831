// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report_prom.c - the metric families.  Names follow Prometheus' naming
 * rules: a vrrpwatch_ prefix, base units (seconds, bytes), _total on
 * counters, _timestamp_seconds on Unix times, _info for the build.
 */
#include "prom/report_prom.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/addr_fmt.h"
#include "config.h"
#include "prom/prom_text.h"

#define NUM VW_PROM_NUM_MAX

static const char *family_label(uint8_t family)
{
	return family == 6 ? "ipv6" : family == 4 ? "ipv4" : "";
}

/* "" untagged, "100", "100.20" (outer.inner): a label, so no "-" */
static const char *vlan_label(const uint16_t *vlan, char *buf, size_t len)
{
	if (!vlan[0])
		snprintf(buf, len, "%s", "");
	else if (!vlan[1])
		snprintf(buf, len, "%u", vlan[0]);
	else
		snprintf(buf, len, "%u.%u", vlan[0], vlan[1]);
	return buf;
}

static const char *vrid_label(uint8_t vrid, char *buf, size_t len)
{
	if (vrid)
		snprintf(buf, len, "%u", vrid);
	else
		snprintf(buf, len, "%s", ""); /* a finding about a whole segment */
	return buf;
}

static const char *seg_name(const struct vw_table *t, uint32_t id)
{
	const struct vw_segment *seg = vw_table_segment(t, id);

	return seg ? seg->name : "";
}

/* --- advertisers ---------------------------------------------------------- */

#define ADV_LABELS 9
#define DOM_LABELS 5 /* the first five of an advertiser's */

struct adv_labels {
	char vlan[VW_VLAN_STRLEN], vrid[4], src[VW_ADDR_STRLEN], mac[VW_MAC_STRLEN],
		dst[VW_ADDR_STRLEN];
	struct vw_prom_label l[ADV_LABELS];
};

static void adv_labels(struct adv_labels *a, const struct vw_table *t, const struct vw_row *r)
{
	const struct vw_obs_key *k = &r->key;

	a->l[0] = (struct vw_prom_label){"segment", vw_segment_label(t, k->ifindex)};
	a->l[1] = (struct vw_prom_label){"interface", seg_name(t, k->ifindex)};
	a->l[2] = (struct vw_prom_label){"vlan", vlan_label(k->vlan, a->vlan, sizeof(a->vlan))};
	a->l[3] = (struct vw_prom_label){"family", family_label(k->family)};
	a->l[4] = (struct vw_prom_label){"vrid", vrid_label(k->vrid, a->vrid, sizeof(a->vrid))};
	a->l[5] = (struct vw_prom_label){"source",
					 vw_ip_str(k->family, k->src, a->src, sizeof(a->src))};
	a->l[6] = (struct vw_prom_label){"direction", k->dir == VW_DIR_TX ? "tx" : "rx"};
	a->l[7] = (struct vw_prom_label){"source_mac",
					 vw_mac_str(k->src_mac, a->mac, sizeof(a->mac))};
	a->l[8] = (struct vw_prom_label){"destination",
					 vw_ip_str(k->family, k->dst, a->dst, sizeof(a->dst))};
}

typedef const char *(*series_value_fn)(const struct vw_prom_series *se, char *buf, size_t len);

static const char *v_adverts(const struct vw_prom_series *se, char *buf, size_t len)
{
	return vw_prom_u64(se->adverts, buf, len);
}

static const char *v_bytes(const struct vw_prom_series *se, char *buf, size_t len)
{
	return vw_prom_u64(se->bytes, buf, len);
}

static const char *v_priority(const struct vw_prom_series *se, char *buf, size_t len)
{
	return vw_prom_u64(se->latest->val.priority, buf, len);
}

static const char *v_interval(const struct vw_prom_series *se, char *buf, size_t len)
{
	return vw_prom_fixed(se->latest->val.interval_cs, 2, buf, len); /* centiseconds */
}

static const char *v_last_seen(const struct vw_prom_series *se, char *buf, size_t len)
{
	return vw_prom_fixed(se->last_ns, 9, buf, len); /* nanoseconds */
}

static const struct adv_family {
	const char *name, *type, *help;
	series_value_fn value;
} adv_families[] = {
	{"vrrpwatch_advertiser_adverts_total", "counter",
	 "VRRP advertisements heard from the advertiser.", v_adverts},
	{"vrrpwatch_advertiser_bytes_total", "counter",
	 "IP bytes (header and payload) of the advertiser's advertisements.", v_bytes},
	{"vrrpwatch_advertiser_priority", "gauge",
	 "Priority of the advertiser's last advertisement (0: the master resigned).", v_priority},
	{"vrrpwatch_advertiser_interval_seconds", "gauge",
	 "Advertisement interval of the advertiser's last advertisement.", v_interval},
	{"vrrpwatch_advertiser_last_seen_timestamp_seconds", "gauge",
	 "Unix time of the advertiser's last advertisement (packet time when replaying a capture).",
	 v_last_seen},
};

static void adv_family(FILE *out, const struct vw_report *r, const struct vw_prom_selection *s,
		       const struct adv_family *fam)
{
	struct adv_labels a;
	char v[NUM];

	vw_prom_family(out, fam->name, fam->type, fam->help);
	for (size_t i = 0; i < s->n_series; i++) {
		const struct vw_prom_series *se = &s->series[i];

		if (!se->exported)
			continue;
		adv_labels(&a, r->table, se->rows[0]);
		vw_prom_sample(out, fam->name, a.l, ADV_LABELS, fam->value(se, v, sizeof(v)));
	}
}

static void domain_family(FILE *out, const struct vw_report *r, const struct vw_prom_selection *s)
{
	static const char name[] = "vrrpwatch_domain_advertisers";
	struct adv_labels a;
	char v[NUM];

	vw_prom_family(out, name, "gauge",
		       "Advertisers heard in the collision domain (segment, interface, VLAN, family, "
		       "VRID) and still in the table; a healthy domain has one.");
	for (size_t i = 0; i < s->n_domains; i++) {
		const struct vw_prom_domain *d = &s->domains[i];

		if (!d->exported)
			continue;
		adv_labels(&a, r->table, s->series[d->first].rows[0]);
		vw_prom_sample(out, name, a.l, DOM_LABELS, vw_prom_u64(d->n, v, sizeof(v)));
	}
}

/*
 * The virtual addresses advertised in each exported domain, one series per
 * address (at most VW_PROM_MAX_ADDRESSES per domain, lowest first; the
 * rest counted as overflow), valued with how many of its exported
 * advertisers list it: so that a fleet can see one VRID and address
 * claimed on two segments.  Returns the addresses left out, or -ENOMEM.
 */
struct dom_addr {
	uint8_t addr[16];
};

static int cmp_dom_addr(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct dom_addr));
}

static long domain_address_family(FILE *out, const struct vw_report *r,
				  const struct vw_prom_selection *s)
{
	static const char name[] = "vrrpwatch_domain_address_advertisers";
	struct vw_prom_label l[DOM_LABELS + 1];
	struct adv_labels a;
	char v[NUM], ip[VW_ADDR_STRLEN];
	long left = 0;

	vw_prom_family(out, name, "gauge",
		       "Advertisers of the collision domain whose last advertisement lists the "
		       "virtual address (at most 8 addresses per domain, the lowest).");
	for (size_t i = 0; i < s->n_domains; i++) {
		const struct vw_prom_domain *d = &s->domains[i];
		struct dom_addr *v_addr;
		size_t n = 0, cap = 0;

		if (!d->exported)
			continue;
		for (size_t j = d->first; j < d->first + d->n; j++)
			if (s->series[j].exported)
				cap += s->series[j].latest->val.naddr;
		if (!cap)
			continue;
		if (!(v_addr = calloc(cap, sizeof(*v_addr))))
			return -ENOMEM;
		for (size_t j = d->first; j < d->first + d->n; j++) {
			const struct vw_row *row = s->series[j].latest;
			const uint8_t *ad;
			unsigned alen = row->key.family == 6 ? 16 : 4;
			if (!s->series[j].exported)
				continue;
			for (unsigned k = 0; n < cap && (ad = vw_row_address(row, k)); k++)
				memcpy(v_addr[n++].addr, ad, alen);
		}
		qsort(v_addr, n, sizeof(*v_addr), cmp_dom_addr);
		adv_labels(&a, r->table, s->series[d->first].rows[0]);
		memcpy(l, a.l, sizeof(*l) * DOM_LABELS);
		uint8_t family = s->series[d->first].rows[0]->key.family;
		size_t shown = 0;
		for (size_t k = 0; k < n;) {
			size_t m = k + 1;
			while (m < n && !cmp_dom_addr(&v_addr[k], &v_addr[m]))
				m++;
			if (shown == VW_PROM_MAX_ADDRESSES) {
				left++;
			} else {
				l[DOM_LABELS] = (struct vw_prom_label){
					"address", vw_ip_str(family, v_addr[k].addr, ip, sizeof(ip))};
				vw_prom_sample(out, name, l, DOM_LABELS + 1,
					       vw_prom_u64(m - k, v, sizeof(v)));
				shown++;
			}
			k = m;
		}
		free(v_addr);
	}
	return left;
}

/*
 * One series per segment: which segment label each interface (capture)
 * has, so that a fleet knows which hosts watch a segment even when they
 * hear nothing there.  At most VW_PROM_MAX_SEGMENTS; returns those left out.
 */
static size_t segment_family(FILE *out, const struct vw_table *t)
{
	static const char name[] = "vrrpwatch_segment_info";
	struct vw_prom_label l[2];
	size_t shown = 0, left = 0;

	vw_prom_family(out, name, "gauge",
		       "Always 1: the segment label of each interface (or capture) watched.");
	for (uint32_t id = 1; id <= t->n_segments; id++) {
		bool seen = false;
		/* two captures with one interface name are one series */
		for (uint32_t j = 1; j < id && !seen; j++)
			seen = !strcmp(seg_name(t, j), seg_name(t, id)) &&
			       !strcmp(vw_segment_label(t, j), vw_segment_label(t, id));
		if (seen)
			continue;
		if (shown == VW_PROM_MAX_SEGMENTS) {
			left++;
			continue;
		}
		l[0] = (struct vw_prom_label){"segment", vw_segment_label(t, id)};
		l[1] = (struct vw_prom_label){"interface", seg_name(t, id)};
		vw_prom_sample(out, name, l, 2, "1");
		shown++;
	}
	return left;
}

/* --- findings ------------------------------------------------------------- */

/*
 * One label set of findings: kind, severity and the domain without its
 * receivers and subject (those are in the JSON report; as labels they
 * would let a flood of sources multiply series).
 */
struct finding_series {
	const struct vw_finding *f; /* the first, for the labels */
	bool active;
	uint64_t count;
};

static bool same_finding_labels(const struct vw_finding *a, const struct vw_finding *b)
{
	return a->kind == b->kind && a->severity == b->severity &&
	       !strcmp(a->interface, b->interface) && a->d.vlan[0] == b->d.vlan[0] &&
	       a->d.vlan[1] == b->d.vlan[1] && a->d.family == b->d.family &&
	       a->d.vrid == b->d.vrid;
}

/*
 * vw_findings_sorted orders by severity, kind, interface, VLAN, VRID,
 * family first, so findings with one label set are adjacent.  Returns the
 * number of series, or -ENOMEM.
 */
static long finding_series(const struct vw_findings *l, struct finding_series **out)
{
	const struct vw_finding **v;
	struct finding_series *fs;
	size_t n = 0;

	*out = NULL;
	if (!l || !l->n)
		return 0;
	v = vw_findings_sorted(l);
	fs = calloc(l->n, sizeof(*fs));
	if (!v || !fs) {
		free(v);
		free(fs);
		return -ENOMEM;
	}
	for (size_t i = 0; i < l->n; i++) {
		if (!n || !same_finding_labels(fs[n - 1].f, v[i]))
			fs[n++].f = v[i];
		fs[n - 1].active |= v[i]->open;
		fs[n - 1].count += v[i]->count;
	}
	free(v);
	*out = fs;
	return (long)n;
}

#define FINDING_LABELS 7

struct finding_labels {
	char vlan[VW_VLAN_STRLEN], vrid[4];
	struct vw_prom_label l[FINDING_LABELS];
};

static void finding_labels(struct finding_labels *a, const struct vw_table *t,
			   const struct vw_finding *f)
{
	const char *segment = vw_table_segment(t, f->d.segment)
				      ? vw_segment_label(t, f->d.segment)
				      : vw_table_segment_label_for(t, f->interface);

	a->l[0] = (struct vw_prom_label){"kind", vw_kind_name(f->kind)};
	a->l[1] = (struct vw_prom_label){"severity", vw_severity_name(f->severity)};
	a->l[2] = (struct vw_prom_label){"segment", segment};
	a->l[3] = (struct vw_prom_label){"interface", f->interface};
	a->l[4] = (struct vw_prom_label){"vlan", vlan_label(f->d.vlan, a->vlan, sizeof(a->vlan))};
	a->l[5] = (struct vw_prom_label){"family", family_label(f->d.family)};
	a->l[6] = (struct vw_prom_label){"vrid", vrid_label(f->d.vrid, a->vrid, sizeof(a->vrid))};
}

static void finding_families(FILE *out, const struct vw_table *t, const struct finding_series *fs,
			     size_t n)
{
	static const char active[] = "vrrpwatch_finding_active";
	static const char total[] = "vrrpwatch_findings_total";
	struct finding_labels a;
	char v[NUM];

	/* closed findings stay in the list, so their series stay at 0 and alerts resolve */
	vw_prom_family(out, active, "gauge",
		       "1 while a finding of this kind and severity holds in the domain, 0 once it "
		       "stopped; events (master_changed, master_resigned) are always 0.");
	for (size_t i = 0; i < n; i++) {
		finding_labels(&a, t, fs[i].f);
		vw_prom_sample(out, active, a.l, FINDING_LABELS, fs[i].active ? "1" : "0");
	}
	vw_prom_family(out, total, "counter",
		       "Times a finding of this kind and severity started to hold in the domain, "
		       "or events of this kind.");
	for (size_t i = 0; i < n; i++) {
		finding_labels(&a, t, fs[i].f);
		vw_prom_sample(out, total, a.l, FINDING_LABELS,
			       vw_prom_u64(fs[i].count, v, sizeof(v)));
	}
}

/* --- rejected frames ------------------------------------------------------ */

struct reject_sum {
	const char *interface;
	uint8_t reason;
	uint64_t count;
};

static int cmp_reject_sum(const void *pa, const void *pb)
{
	const struct reject_sum *a = pa, *b = pb;
	int c = strcmp(a->interface, b->interface);

	if (c)
		return c;
	return a->reason < b->reason ? -1 : a->reason > b->reason;
}

/*
 * Per interface and reason, summed over VLANs: VLAN tags are the sender's
 * choice, and frames that are refused must not be able to add series.
 */
static int reject_family(FILE *out, const struct vw_table *t)
{
	static const char name[] = "vrrpwatch_rejected_frames_total";
	struct reject_sum *v = calloc(t->n_rejects + 1, sizeof(*v));
	struct vw_prom_label l[2];
	size_t n = 0;
	char num[NUM];

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < t->n_rejects; i++)
		v[i] = (struct reject_sum){seg_name(t, t->rejects[i].segment), t->rejects[i].reason,
					   t->rejects[i].count};
	qsort(v, t->n_rejects, sizeof(*v), cmp_reject_sum);
	for (size_t i = 0; i < t->n_rejects; i++) {
		if (n && !cmp_reject_sum(&v[n - 1], &v[i]))
			v[n - 1].count += v[i].count;
		else
			v[n++] = v[i];
	}
	vw_prom_family(out, name, "counter",
		       "Protocol 112 frames that are not valid VRRP advertisements (or are flagged: "
		       "bad_ttl, bad_checksum), by reason.");
	for (size_t i = 0; i < n; i++) {
		l[0] = (struct vw_prom_label){"interface", v[i].interface};
		l[1] = (struct vw_prom_label){"reason", vw_reason_name(v[i].reason)};
		vw_prom_sample(out, name, l, 2, vw_prom_u64(v[i].count, num, sizeof(num)));
	}
	free(v);
	return 0;
}

/* --- run-wide ------------------------------------------------------------- */

static void scalar(FILE *out, const char *name, const char *type, const char *help, uint64_t v)
{
	char num[NUM];

	vw_prom_family(out, name, type, help);
	vw_prom_sample(out, name, NULL, 0, vw_prom_u64(v, num, sizeof(num)));
}

static void build_info(FILE *out)
{
	static const char name[] = "vrrpwatch_build_info";
	const struct vw_prom_label l[] = {{"version", VRRPWATCH_VERSION}};

	vw_prom_family(out, name, "gauge", "Always 1; the version of vrrpwatch that wrote this.");
	vw_prom_sample(out, name, l, 1, "1");
}

static void overflow_family(FILE *out, const struct vw_prom_selection *s, size_t findings,
			    const struct vw_findings *kept, size_t addresses, size_t segments)
{
	static const char name[] = "vrrpwatch_export_overflow";
	const char *what[] = {"advertisers", "domains", "findings", "detector_findings",
			      "addresses", "segments"};
	const uint64_t n[] = {s->unexported_series, s->unexported_domains, findings,
			      kept ? kept->refused : 0, addresses, segments};
	struct vw_prom_label l[1];
	char num[NUM];

	vw_prom_family(out, name, "gauge",
		       "Advertisers, collision domains, finding label sets, domain addresses and "
		       "segments left out of this exposition by the cardinality caps, and findings "
		       "the detector raised at its last tick but could not keep (a spoofing flood, "
		       "or caps too low).");
	for (size_t i = 0; i < sizeof(what) / sizeof(what[0]); i++) {
		l[0] = (struct vw_prom_label){"what", what[i]};
		vw_prom_sample(out, name, l, 1, vw_prom_u64(n[i], num, sizeof(num)));
	}
}

/* --- local instances: who is master ---------------------------------------- */

#define INST_LABELS 5

static void instance_labels(struct vw_prom_label *l, const struct vw_table *t,
			    const struct vw_instance_state *st, char *vrid, size_t len)
{
	l[0] = (struct vw_prom_label){"instance", st->name};
	l[1] = (struct vw_prom_label){
		"segment", vw_table_segment_label_for(t, st->heard && st->segment[0] ? st->segment
										 : st->interface)};
	l[2] = (struct vw_prom_label){"interface", st->interface};
	l[3] = (struct vw_prom_label){"family", family_label(st->family)};
	l[4] = (struct vw_prom_label){"vrid", vrid_label(st->vrid, vrid, len)};
}

/*
 * Per vrrp_instance of keepalived.conf: whether this node is the master on
 * the wire, and the master's priority labelled with who it is (one series
 * per instance at a time: a new master replaces the old one's series).
 */
static void instance_families(FILE *out, const struct vw_report *r)
{
	static const char is_master[] = "vrrpwatch_instance_this_node_master";
	static const char master[] = "vrrpwatch_instance_master_priority";
	struct vw_prom_label l[INST_LABELS + 4];
	char vrid[4], num[NUM], src[VW_ADDR_STRLEN], mac[VW_MAC_STRLEN];

	if (!r->n_instances)
		return;
	vw_prom_family(out, is_master, "gauge",
		       "1 while this node is the master on the wire of the keepalived.conf instance, "
		       "else 0.");
	for (size_t i = 0; i < r->n_instances; i++) {
		const struct vw_instance_state *st = &r->instances[i];
		instance_labels(l, r->table, st, vrid, sizeof(vrid));
		vw_prom_sample(out, is_master, l, INST_LABELS,
			       st->master_now && st->master.local ? "1" : "0");
	}
	vw_prom_family(out, master, "gauge",
		       "Priority of the router that is master on the wire of the instance now, "
		       "labelled with its address, MAC and whether it is this node or in the group "
		       "(unicast_peer, --peer); absent while there is none.");
	for (size_t i = 0; i < r->n_instances; i++) {
		const struct vw_instance_state *st = &r->instances[i];
		if (!st->master_now)
			continue;
		instance_labels(l, r->table, st, vrid, sizeof(vrid));
		l[INST_LABELS] = (struct vw_prom_label){
			"master", vw_ip_str(st->master.family, st->master.src, src, sizeof(src))};
		l[INST_LABELS + 1] = (struct vw_prom_label){
			"master_mac", vw_mac_str(st->master.mac, mac, sizeof(mac))};
		l[INST_LABELS + 2] = (struct vw_prom_label){"this_node",
							     st->master.local ? "1" : "0"};
		l[INST_LABELS + 3] = (struct vw_prom_label){
			"in_group", st->master.in_group ? "1" : st->group_known ? "0" : "unknown"};
		vw_prom_sample(out, master, l, INST_LABELS + 4,
			       vw_prom_u64(st->master.priority, num, sizeof(num)));
	}
}

/* --- who holds the virtual addresses -------------------------------------- */

/* At most this many addresses exported (the watched set is bounded too,
 * VW_VIP_MAX_WATCH): labels are the address and the kind, never a MAC,
 * except for the one holder of each address. */
#define VW_PROM_MAX_VIPS 256

static bool vip_same(const struct vw_claim_key *a, const struct vw_claim_key *b)
{
	return a->ifindex == b->ifindex && a->vlan[0] == b->vlan[0] && a->vlan[1] == b->vlan[1] &&
	       a->family == b->family && !memcmp(a->addr, b->addr, 16);
}

static void vip_labels(struct vw_prom_label *l, const struct vw_table *t,
		       const struct vw_claim_key *k, char *vlan, size_t vlen, char *addr, size_t alen)
{
	l[0] = (struct vw_prom_label){"segment", vw_segment_label(t, k->ifindex)};
	l[1] = (struct vw_prom_label){"interface", seg_name(t, k->ifindex)};
	l[2] = (struct vw_prom_label){"vlan", vlan_label(k->vlan, vlan, vlen)};
	l[3] = (struct vw_prom_label){"family", family_label(k->family)};
	l[4] = (struct vw_prom_label){"address", vw_ip_str(k->family, k->addr, addr, alen)};
}

/*
 * Per address: claims and asks counted by kind (a counter), how many MACs
 * claimed it, and its holder (the MAC of the latest claim) as an info
 * series: one per address, a new holder replaces the old one's series.
 * The families are there even without samples, as every family.
 */
static void vip_families(FILE *out, const struct vw_table *t)
{
	static const char claims[] = "vrrpwatch_vip_claims_total";
	static const char macs[] = "vrrpwatch_vip_claimers";
	static const char holder[] = "vrrpwatch_vip_holder_info";
	const struct vw_vip_claims *vc = &t->vips;
	struct vw_claim_row **rows = vw_vips_sorted(vc);
	struct vw_prom_label l[7];
	char vlan[VW_VLAN_STRLEN], addr[VW_ADDR_STRLEN], mac[VW_MAC_STRLEN], num[NUM];
	size_t n_rows = rows ? vc->n_rows : 0;
	vw_prom_family(out, claims, "counter",
		       "ARP and IPv6 neighbour discovery frames that claim (garp, reply, request, "
		       "na_unsolicited, na_solicited) or ask for (ask) a watched virtual address.");
	size_t vips = 0;
	for (size_t i = 0; i < n_rows && vips < VW_PROM_MAX_VIPS;) {
		uint64_t by_kind[VW_CLAIM_COUNT] = {0};
		size_t j = i;
		for (; j < n_rows && vip_same(&rows[j]->key, &rows[i]->key); j++)
			by_kind[rows[j]->key.kind] += rows[j]->val.count;
		vip_labels(l, t, &rows[i]->key, vlan, sizeof(vlan), addr, sizeof(addr));
		for (unsigned k = 0; k < VW_CLAIM_COUNT; k++) {
			if (!by_kind[k])
				continue;
			l[5] = (struct vw_prom_label){"kind", vw_claim_kind_name(k)};
			vw_prom_sample(out, claims, l, 6, vw_prom_u64(by_kind[k], num, sizeof(num)));
		}
		vips++;
		i = j;
	}
	vw_prom_family(out, macs, "gauge",
		       "Distinct MACs that claimed the virtual address (a healthy one has its "
		       "masters' MACs only).");
	vips = 0;
	for (size_t i = 0; i < n_rows && vips < VW_PROM_MAX_VIPS;) {
		size_t j = i, n = 0;
		for (; j < n_rows && vip_same(&rows[j]->key, &rows[i]->key); j++)
			n += rows[j]->key.kind != VW_CLAIM_ASK &&
			     (j == i || memcmp(rows[j]->key.mac, rows[j - 1]->key.mac, 6) ||
			      rows[j - 1]->key.kind == VW_CLAIM_ASK);
		vip_labels(l, t, &rows[i]->key, vlan, sizeof(vlan), addr, sizeof(addr));
		vw_prom_sample(out, macs, l, 5, vw_prom_u64(n, num, sizeof(num)));
		vips++;
		i = j;
	}
	vw_prom_family(out, holder, "gauge",
		       "Always 1: the MAC of the latest claim of the virtual address (who the hosts "
		       "that heard it send its traffic to), and the kind of that claim.");
	vips = 0;
	for (size_t i = 0; i < n_rows && vips < VW_PROM_MAX_VIPS;) {
		const struct vw_claim_row *last = NULL;
		size_t j = i;
		for (; j < n_rows && vip_same(&rows[j]->key, &rows[i]->key); j++)
			if (rows[j]->key.kind != VW_CLAIM_ASK &&
			    (!last || rows[j]->val.last_ns > last->val.last_ns))
				last = rows[j];
		if (last) {
			vip_labels(l, t, &last->key, vlan, sizeof(vlan), addr, sizeof(addr));
			l[5] = (struct vw_prom_label){"mac", vw_mac_str(last->key.mac, mac, sizeof(mac))};
			l[6] = (struct vw_prom_label){"kind", vw_claim_kind_name(last->key.kind)};
			vw_prom_sample(out, holder, l, 7, "1");
		}
		vips++;
		i = j;
	}
	free(rows);
}

/* What vrrpwatch itself lost: a flood, or a machine too busy to keep up. */
static void loss_families(FILE *out, const struct vw_report *r)
{
	scalar(out, "vrrpwatch_table_evictions_total", "counter",
	       "Advertisers evicted from the full observation table (raise --max-advertisers, "
	       "or look for a flood of spoofed sources).",
	       r->table->evictions);
	scalar(out, "vrrpwatch_map_evictions_total", "counter",
	       "Observation keys the kernel's LRU map evicted (live XDP capture; 0 otherwise).",
	       r->map_evictions);
	scalar(out, "vrrpwatch_ring_buffer_losses_total", "counter",
	       "Change records the kernel could not hand over because the ring buffer was full "
	       "(live XDP capture; 0 otherwise).",
	       r->ring_losses);
	scalar(out, "vrrpwatch_capture_dropped_frames_total", "counter",
	       "Frames the kernel dropped before vrrpwatch saw them (live libpcap capture; 0 "
	       "otherwise).",
	       r->capture_drops);
}

int vw_report_prom(FILE *out, const struct vw_report *r, const struct vw_prom_limits *lim)
{
	struct vw_prom_selection s;
	struct finding_series *fs;
	long n_fs = finding_series(r->findings, &fs);
	int rc = 0;

	if (n_fs < 0 || vw_prom_select(&s, r->table, lim)) {
		free(fs);
		return -ENOMEM;
	}
	size_t shown = (size_t)n_fs < lim->max_findings ? (size_t)n_fs : lim->max_findings;

	build_info(out);
	size_t seg_left = segment_family(out, r->table);
	instance_families(out, r);
	for (size_t i = 0; i < sizeof(adv_families) / sizeof(adv_families[0]); i++)
		adv_family(out, r, &s, &adv_families[i]);
	domain_family(out, r, &s);
	long addr_left = domain_address_family(out, r, &s);
	/* most severe first: a cap keeps the critical findings */
	finding_families(out, r->table, fs, shown);
	rc = addr_left < 0 ? (int)addr_left : reject_family(out, r->table);
	vip_families(out, r->table);
	loss_families(out, r);
	overflow_family(out, &s, (size_t)n_fs - shown, r->findings,
			addr_left < 0 ? 0 : (size_t)addr_left, seg_left);
	vw_prom_selection_free(&s);
	free(fs);
	if (!rc && (fflush(out) || ferror(out)))
		rc = -EIO;
	return rc;
}

int vw_report_prom_buf(const struct vw_report *r, const struct vw_prom_limits *lim,
		       char **buf, size_t *len)
{
	FILE *m;
	int rc;

	*buf = NULL;
	*len = 0;
	if (!(m = open_memstream(buf, len)))
		return -ENOMEM;
	rc = vw_report_prom(m, r, lim);
	if (fclose(m) || rc)
		rc = -ENOMEM; /* a memory stream fails for want of memory only */
	if (rc) {
		free(*buf);
		*buf = NULL;
		*len = 0;
	}
	return rc;
}
