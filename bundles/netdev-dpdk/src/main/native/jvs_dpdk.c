/*
 * The DPDK calls that exist only as header inlines (rte_ethdev.h, rte_mbuf.h, rte_errno.h,
 * rte_lcore.h), compiled into a small library so that Java can reach them through Panama. Every
 * other DPDK function is called directly from Java. Built by the netdev-dpdk Maven build with gcc;
 * never committed as a binary.
 */
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

uint16_t jvs_rx_burst(uint16_t port, uint16_t queue, struct rte_mbuf **pkts, uint16_t n)
{
    return rte_eth_rx_burst(port, queue, pkts, n);
}

uint16_t jvs_tx_burst(uint16_t port, uint16_t queue, struct rte_mbuf **pkts, uint16_t n)
{
    return rte_eth_tx_burst(port, queue, pkts, n);
}

int jvs_pktmbuf_alloc_bulk(struct rte_mempool *pool, struct rte_mbuf **pkts, unsigned int n)
{
    return rte_pktmbuf_alloc_bulk(pool, pkts, n);
}

/* rte_errno is thread-local in librte_eal: only code on the same thread, linked here, can read it. */
int jvs_errno(void)
{
    return rte_errno;
}

unsigned int jvs_lcore_id(void)
{
    return rte_lcore_id();
}
