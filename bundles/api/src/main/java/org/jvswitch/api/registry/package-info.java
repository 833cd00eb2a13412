/** Services the core implements for the bridge: the netdev registry, looked up by type. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.jvswitch.api.registry;
