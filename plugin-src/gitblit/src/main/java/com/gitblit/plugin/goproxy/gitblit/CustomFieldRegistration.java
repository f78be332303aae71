package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.IStoredSettings;
import com.gitblit.Keys;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the per-repository switch ({@link PluginSettings#CUSTOM_FIELD}) appear on Gitblit's Edit Repository page
 * without anyone editing gitblit.properties. Gitblit shows one text box per {@code key=Label} item of
 * {@code groovy.customFields} (space-delimited, items with spaces in double quotes) and, on save, writes exactly
 * those keys to the repository's {@code [gitblit "customFields"]}. Rules:
 * <ul>
 *   <li>the setting is changed in memory only ({@link IStoredSettings#overrideSetting}), never in the file: removing
 *       the plugin removes the field;</li>
 *   <li>the administrator's own items stay, in their order, with ours appended;</li>
 *   <li>an item for our key that is already there (any case: git config keys are case-insensitive) wins, so an
 *       administrator may relabel the field;</li>
 *   <li>a value Gitblit itself could not read (an item without {@code =} breaks its page) is left alone, with a
 *       warning.</li>
 * </ul>
 * Gitblit reads the setting each time it renders the page, so this takes effect at once; an edit of
 * gitblit.properties while Gitblit runs is shadowed by the override until the next restart.
 */
final class CustomFieldRegistration {
    private static final Logger LOG = LoggerFactory.getLogger(CustomFieldRegistration.class);

    static final String LABEL = "Go module proxy (true or false; empty: instance default)";

    private CustomFieldRegistration() {
    }

    /** Adds our field to {@code groovy.customFields}; returns the value now in effect. */
    static String register(IStoredSettings settings) {
        String key = Keys.groovy.customFields;
        String current = settings.getString(key, "").trim();
        Map<String, String> fields;
        try {
            fields = settings.getMap(key);
        } catch (RuntimeException e) {
            LOG.warn("goproxy: {} cannot be read ({}); the Go switch is not added to the Edit Repository page."
                    + " Add \"{}={}\" to it by hand.", key, current, PluginSettings.CUSTOM_FIELD, LABEL);
            return current;
        }
        for (String existing : fields.keySet()) {
            if (existing.trim().equalsIgnoreCase(PluginSettings.CUSTOM_FIELD)) {
                return current;
            }
        }
        String item = "\"" + PluginSettings.CUSTOM_FIELD + "=" + LABEL + "\"";
        String merged = current.isEmpty() ? item : current + " " + item;
        settings.overrideSetting(key, merged);
        return merged;
    }
}
