/** The OpenFlow switch behind each bridge, as the bridge (vswitchd) drives it. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package org.jvswitch.api.ofproto;
