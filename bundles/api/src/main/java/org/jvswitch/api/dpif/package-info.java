/** The datapath interface (Open vSwitch's lib/dpif-provider.h) and the actions it executes. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package org.jvswitch.api.dpif;
