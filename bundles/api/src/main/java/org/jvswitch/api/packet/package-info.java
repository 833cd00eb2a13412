/** Packets in native memory and the batches the datapath moves them in (Open vSwitch's lib/dp-packet.h). */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.jvswitch.api.packet;
