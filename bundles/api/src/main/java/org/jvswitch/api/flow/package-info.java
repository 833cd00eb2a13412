/** Flow keys extracted from packets and the masks of megaflows (Open vSwitch's lib/flow.h). */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.jvswitch.api.flow;
