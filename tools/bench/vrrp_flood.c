// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vrrp_flood - send valid VRRP adverts out of an interface as fast as the
 * kernel takes them (AF_PACKET, sendmmsg in batches, qdisc bypassed), for
 * the live benchmarks (tools/bench/live-flood).
 *
 * usage: vrrp_flood IFACE SECONDS [SOURCES|random]
 *   SOURCES  (default 8) VRRPv2 IPv4 advertisers 198.18.1.1, .2, ... each
 *            with its own MAC and VRID, taking turns;
 *   random   VRRPv3 IPv6 adverts, each from a new random source in
 *            fd00::/8 (and a random locally administered MAC): a flood of
 *            spoofed sources.
 * Prints the frames sent on its last line: "sent N frames in S s (R/s)";
 * with SOURCES, before it one line per source, "source 198.18.1.N sent M",
 * so that a benchmark can check each source's count, not only the total
 * (tools/bench/live-flood --many-cpu adds them up over its senders).
 * Only 198.18.0.0/15 and fd00::/8 addresses; multicast to 224.0.0.18 or
 * ff02::12 on the interface given (the benchmark's veth in its namespace).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define FRAME_MAX 128

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t sum)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* VRRPv2 over IPv4 from 198.18.1.<n>, VRID n, one address. */
static unsigned frame_v4(uint8_t *f, unsigned n)
{
	static const uint8_t dst[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x12};
	uint8_t *ip = f + 14, *v = ip + 20;

	memset(f, 0, 14 + 40);
	memcpy(f, dst, 6);
	f[6] = 0x02, f[10] = 0x01, f[11] = (uint8_t)n;
	put16(f + 12, ETH_P_IP);
	ip[0] = 0x45, ip[8] = 255, ip[9] = 112;
	put16(ip + 2, 40);
	ip[12] = 198, ip[13] = 18, ip[14] = 1, ip[15] = (uint8_t)n;
	ip[16] = 224, ip[19] = 18;
	put16(ip + 10, fold(sum16(ip, 20, 0)));
	v[0] = 0x21, v[1] = (uint8_t)n, v[2] = 100, v[3] = 1, v[5] = 1;
	v[8] = 198, v[9] = 18, v[10] = 1, v[11] = (uint8_t)(100 + n);
	put16(v + 6, fold(sum16(v, 20, 0)));
	return 14 + 40;
}

/* VRRPv3 over IPv6 from a random fd00::/8 source and MAC. */
static unsigned frame_v6_random(uint8_t *f)
{
	static const uint8_t dst[6] = {0x33, 0x33, 0x00, 0x00, 0x00, 0x12};
	uint8_t *ip = f + 14, *v = ip + 40;
	uint64_t r1 = next_random(), r2 = next_random(), r3 = next_random();

	memset(f, 0, 14 + 40 + 24);
	memcpy(f, dst, 6);
	memcpy(f + 6, &r3, 6);
	f[6] = (uint8_t)((f[6] & 0xfc) | 0x02); /* locally administered, unicast */
	put16(f + 12, ETH_P_IPV6);
	ip[0] = 0x60;
	put16(ip + 4, 24);
	ip[6] = 112, ip[7] = 255;
	memcpy(ip + 8, &r1, 8);
	memcpy(ip + 16, &r2, 8);
	ip[8] = 0xfd;
	ip[24] = 0xff, ip[25] = 0x02, ip[39] = 0x12;
	v[0] = 0x31, v[1] = 1 + (uint8_t)(r3 >> 56) % 255, v[2] = 100, v[3] = 1, v[5] = 100;
	v[8] = 0xfd, v[23] = 0x64;
	uint32_t sum = sum16(ip + 8, 32, 24 + 112);
	put16(v + 6, fold(sum16(v, 24, sum)));
	return 14 + 40 + 24;
}

static int open_socket(const char *iface, struct sockaddr_ll *to)
{
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0), one = 1;

	memset(to, 0, sizeof(*to));
	to->sll_family = AF_PACKET;
	to->sll_ifindex = (int)if_nametoindex(iface);
	to->sll_halen = 6;
	if (fd < 0 || !to->sll_ifindex) {
		fprintf(stderr, "vrrp_flood: %s: %s\n", iface, strerror(errno ? errno : ENODEV));
		return -1;
	}
	/* straight to the driver: the qdisc would be the bottleneck */
	setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));
	return fd;
}

int main(int argc, char **argv)
{
	static uint8_t frames[BATCH][FRAME_MAX];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_ll to;

	if (argc < 3) {
		fprintf(stderr, "usage: %s IFACE SECONDS [SOURCES|random]\n", argv[0]);
		return 2;
	}
	double secs = atof(argv[2]);
	int random_src = argc > 3 && !strcmp(argv[3], "random");
	unsigned sources = argc > 3 && !random_src ? (unsigned)atoi(argv[3]) : 8;
	int fd = open_socket(argv[1], &to);
	if (fd < 0 || secs <= 0 || !sources || sources > 250)
		return 2;
	rng ^= (uint64_t)now_ns();
	memset(msgs, 0, sizeof(msgs));
	for (int i = 0; i < BATCH; i++) {
		iov[i].iov_base = frames[i];
		iov[i].iov_len = random_src ? frame_v6_random(frames[i])
					    : frame_v4(frames[i], 1 + (unsigned)i % sources);
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
		msgs[i].msg_hdr.msg_name = &to;
		msgs[i].msg_hdr.msg_namelen = sizeof(to);
	}
	uint64_t start = now_ns(), end = start + (uint64_t)(secs * 1e9), sent = 0;
	uint64_t per_source[256] = {0};
	while (now_ns() < end) {
		if (random_src)
			for (int i = 0; i < BATCH; i++)
				frame_v6_random(frames[i]);
		int n = sendmmsg(fd, msgs, BATCH, 0);
		if (n < 0 && errno != ENOBUFS && errno != EAGAIN) {
			fprintf(stderr, "vrrp_flood: send: %s\n", strerror(errno));
			return 1;
		}
		sent += n > 0 ? (uint64_t)n : 0;
		/* sendmmsg sends the batch's first n: a source's share of a
		 * short batch is not sent/sources */
		for (int i = 0; !random_src && i < n; i++)
			per_source[1 + (unsigned)i % sources]++;
	}
	double took = (double)(now_ns() - start) / 1e9;
	for (unsigned i = 1; !random_src && i <= sources && i <= BATCH; i++)
		printf("source 198.18.1.%u sent %llu\n", i, (unsigned long long)per_source[i]);
	printf("sent %llu frames in %.2f s (%.0f/s)\n", (unsigned long long)sent, took,
	       (double)sent / took);
	return 0;
}
