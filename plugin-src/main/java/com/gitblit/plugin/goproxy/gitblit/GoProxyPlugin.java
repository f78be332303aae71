package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.extensions.GitblitPlugin;
import ro.fortsoft.pf4j.PluginWrapper;
import ro.fortsoft.pf4j.Version;

/**
 * The pf4j entry point named by {@code plugin.class} in plugin.properties. pf4j constructs it with its
 * {@link PluginWrapper}; the work is done by the {@link GoProxyFilter} extension, which Gitblit finds
 * through {@code META-INF/extensions.idx}, so this class has nothing to start or stop yet.
 */
public class GoProxyPlugin extends GitblitPlugin {

    public GoProxyPlugin(PluginWrapper wrapper) {
        super(wrapper);
    }

    @Override
    public void onInstall() {
        // Nothing to set up: settings have defaults and the cache folder is created on first use.
    }

    @Override
    public void onUpgrade(Version oldVersion) {
        // No on-disk format to migrate yet.
    }

    @Override
    public void onUninstall() {
        // Nothing outside the plugin folder to remove yet.
    }
}
