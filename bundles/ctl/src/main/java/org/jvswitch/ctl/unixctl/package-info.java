/**
 * The unixctl server (lib/unixctl.c): JSON-RPC 1.0 over a Unix domain socket, one request at a time
 * per connection, one virtual thread per connection, replies and error texts as Open vSwitch's.
 */
package org.jvswitch.ctl.unixctl;
