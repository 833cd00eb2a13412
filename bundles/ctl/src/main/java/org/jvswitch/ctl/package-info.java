/**
 * The control bundle: Open vSwitch's lib/unixctl.c and the ovs-appctl side of utilities/, for
 * jvswitch. Private; nothing here is exported.
 *
 * <ul>
 * <li>{@link org.jvswitch.ctl.UnixctlComponent} gathers every UnixctlCommand service and serves it
 * on {@code <rundir>/ovs-vswitchd.<pid>.ctl} and as Gogo commands {@code appctl:NAME}.</li>
 * <li>{@code unixctl}: the command table, the socket server and its connections, the pidfile.</li>
 * <li>{@code commands}, {@code vlog}: the built-in commands (list-commands, version, exit, shell/run,
 * vlog/list, vlog/set).</li>
 * <li>{@code shell}: the Gogo side.</li>
 * <li>{@code json}, {@code client}: dependency-free, so UnixctlClient runs from a plain classpath.</li>
 * </ul>
 */
package org.jvswitch.ctl;
