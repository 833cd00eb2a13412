/**
 * The {@code ovs-vsctl} command language run in process against the configuration database
 * (Open vSwitch's utilities/ovs-vsctl.c on top of lib/db-ctl-base.c), and its Gogo shell commands.
 */
package org.jvswitch.vsctl.internal;
