/**
 * The little JSON the unixctl protocol needs, with no dependencies so that it also runs inside
 * {@code UnixctlClient} from a plain classpath. Values are plain Java objects: {@code Map<String,Object>}
 * (ordered), {@code List<Object>}, {@code String}, {@link org.jvswitch.ctl.json.JsonNumber},
 * {@code Boolean} and {@code null}.
 */
package org.jvswitch.ctl.json;
