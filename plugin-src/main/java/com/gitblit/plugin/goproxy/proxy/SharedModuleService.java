package com.gitblit.plugin.goproxy.proxy;

/**
 * The {@link ModuleService} for hosts that mount several proxy bases (Gitblit: the instance base and one per
 * project) over one ledger and one artifact cache: build it once with this, then give it to each
 * {@link GoProxyServlet#GoProxyServlet(ModuleHost, ModuleService)}. Two services over one data directory would
 * each believe they own it.
 */
public final class SharedModuleService {
    private SharedModuleService() {
    }

    public static ModuleService create(ProxySettings settings) {
        return ModuleServices.create(settings);
    }
}
