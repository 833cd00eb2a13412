/** Every unixctl command as a Gogo command {@code appctl:NAME}. */
package org.jvswitch.ctl.shell;
