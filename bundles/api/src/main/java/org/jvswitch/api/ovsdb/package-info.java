/** The configuration database as an in-process service: the Open vSwitch data model, transactions and change notifications. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.jvswitch.api.ovsdb;
