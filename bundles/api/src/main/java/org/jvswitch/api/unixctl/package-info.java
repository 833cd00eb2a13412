/** Control commands reachable from ovs-appctl and the shell (Open vSwitch's lib/unixctl.h). Bundles implement UnixctlCommand. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.jvswitch.api.unixctl;
