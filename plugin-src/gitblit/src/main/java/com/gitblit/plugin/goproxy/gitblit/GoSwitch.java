package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.IStoredSettings;
import com.gitblit.models.RepositoryModel;
import java.util.Locale;
import java.util.Map;

/**
 * Whether a repository serves Go modules: its {@code goProxy} custom field when set (Edit Repository page,
 * or {@code gitblit.customFields.goProxy} in its config), else the instance default. Gitblit renders custom
 * fields as text boxes, so the usual spellings of yes and no are accepted; anything else counts as unset.
 */
final class GoSwitch {
    private final IStoredSettings settings;

    GoSwitch(IStoredSettings settings) {
        this.settings = settings;
    }

    boolean isEnabled(RepositoryModel repository) {
        Boolean own = parse(field(repository.customFields));
        return own != null ? own : settings.getBoolean(PluginSettings.ENABLED_BY_DEFAULT, false);
    }

    private static String field(Map<String, String> fields) {
        if (fields == null) {
            return null;
        }
        String exact = fields.get(PluginSettings.CUSTOM_FIELD);
        if (exact != null) {
            return exact;
        }
        // git config keys are case-insensitive: a hand-written "goproxy = true" must count too.
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (e.getKey().equalsIgnoreCase(PluginSettings.CUSTOM_FIELD)) {
                return e.getValue();
            }
        }
        return null;
    }

    static Boolean parse(String value) {
        if (value == null) {
            return null;
        }
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true": case "yes": case "on": case "1": case "enabled":
                return Boolean.TRUE;
            case "false": case "no": case "off": case "0": case "disabled":
                return Boolean.FALSE;
            default:
                return null;
        }
    }
}
