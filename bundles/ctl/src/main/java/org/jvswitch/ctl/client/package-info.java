/** A JDK-only unixctl client, run from a plain classpath by bin/jvswitch shell. Must not use OSGi or SLF4J. */
package org.jvswitch.ctl.client;
