/** Built-in unixctl commands; each is an ordinary UnixctlCommand service, so it is listed and reached like any other. */
package org.jvswitch.ctl.commands;
