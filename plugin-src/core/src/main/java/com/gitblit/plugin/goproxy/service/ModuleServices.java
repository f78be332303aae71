package com.gitblit.plugin.goproxy.service;

import java.io.IOException;

/**
 * Builds the {@link ModuleService} for a host's settings. Hosts that mount several proxy bases (Gitblit: the
 * instance base and one per project) build it once and share it: two services over one data folder would each
 * believe they own it.
 */
public final class ModuleServices {
    private ModuleServices() {
    }

    /**
     * @throws IOException when the data folder cannot be used (not writable, written by a newer version,
     *         damaged); its message is one line for the operator
     */
    public static ModuleService create(ProxySettings settings) throws IOException {
        return new GitModuleService(new ModuleSources(settings), ServiceStorage.open(settings),
                settings.prebuildQueueLength());
    }
}
