package org.jvswitch.api.ovsdb;

import org.osgi.annotation.versioning.ConsumerType;

/** Hears every committed change. */
@ConsumerType
public interface DbListener {
    /** Called on the committing thread after the commit is durable; must not block. */
    void changed(DbChange change);
}
