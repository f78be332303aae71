package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.IStoredSettings;
import java.util.Map;
import java.util.Properties;

/** Gitblit's settings from memory, as gitblit.properties would give them (overrides on top, as in Gitblit). */
final class MemorySettings extends IStoredSettings {
    private final Properties properties = new Properties();
    /** How often something asked to write the settings file. */
    int saves;

    MemorySettings() {
        super(MemorySettings.class);
    }

    MemorySettings with(String key, String value) {
        properties.setProperty(key, value);
        return this;
    }

    @Override
    protected Properties read() {
        return properties;
    }

    @Override
    public boolean saveSettings() {
        saves++;
        return false;
    }

    @Override
    public boolean saveSettings(Map<String, String> updated) {
        saves++;
        return false;
    }
}
