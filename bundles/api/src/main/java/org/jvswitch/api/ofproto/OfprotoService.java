package org.jvswitch.api.ofproto;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Creates the OpenFlow switch behind a bridge (Open vSwitch's {@code ofproto_create}). Implemented
 * by the ofproto bundle; used by the bridge.
 */
@ProviderType
public interface OfprotoService {
    /**
     * Creates the ofproto for bridge {@code name} on the datapath of {@code datapathType} ("netdev").
     * Called on the reconfiguration thread.
     *
     * @throws OfprotoException if the datapath type has no running provider, or the name is taken
     */
    Ofproto create(String name, String datapathType) throws OfprotoException;

    /**
     * Applies {@code Open_vSwitch.other_config} to every datapath, now and as they are created
     * (pmd-cpu-mask, pmd-rxq-assign, ...). Called on the reconfiguration thread.
     */
    void setDatapathConfig(java.util.Map<String, String> otherConfig);
}
