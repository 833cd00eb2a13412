/** The SPI every port type implements (Open vSwitch's lib/netdev-provider.h). Plug-ins implement these types. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package org.jvswitch.api.netdev;
