/**
 * DPDK's environment as a service, for bundles that build port types on DPDK (netdev-dpdk
 * publishes it once EAL is up; netdev-vhost uses it). Nothing here loads DPDK by itself.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.jvswitch.api.dpdk;
