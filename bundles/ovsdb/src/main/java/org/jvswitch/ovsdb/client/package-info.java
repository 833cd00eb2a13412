/** A client of a remote ovsdb-server that provides the {@code Ovsdb} service: jvswitch as a drop-in ovs-vswitchd. */
package org.jvswitch.ovsdb.client;
