package org.jvswitch.api.ovsdb;

/** Cancels a {@link Ovsdb#subscribe subscription}. */
public interface DbSubscription extends AutoCloseable {
    @Override
    void close();
}
