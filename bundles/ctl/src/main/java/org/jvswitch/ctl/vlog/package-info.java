/** vlog/list and vlog/set (lib/vlog.c) mapped onto logback logger levels. */
package org.jvswitch.ctl.vlog;
