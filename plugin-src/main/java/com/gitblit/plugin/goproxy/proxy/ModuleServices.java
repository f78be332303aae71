package com.gitblit.plugin.goproxy.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Builds the {@link ModuleService} a host gets for its settings. */
final class ModuleServices {
    private ModuleServices() {
    }

    /** @throws UncheckedIOException when the data directory cannot be used */
    static ModuleService create(ProxySettings settings) {
        try {
            return new GitModuleService(new ModuleSources(settings), ServiceStorage.open(settings), settings);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the data directory " + settings.dataDirectory(), e);
        }
    }
}
