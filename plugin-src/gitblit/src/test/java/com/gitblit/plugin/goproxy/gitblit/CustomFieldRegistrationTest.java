package com.gitblit.plugin.goproxy.gitblit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What Gitblit's Edit Repository page will read from {@code groovy.customFields} after registration. */
class CustomFieldRegistrationTest {
    private static final String KEY = "groovy.customFields";

    @Test
    void anEmptySettingGetsOurFieldOnly() {
        MemorySettings settings = new MemorySettings().with(KEY, "");
        CustomFieldRegistration.register(settings);
        assertEquals(Map.of("goProxy", CustomFieldRegistration.LABEL), settings.getMap(KEY));
    }

    @Test
    void aMissingSettingGetsOurFieldOnly() {
        MemorySettings settings = new MemorySettings();
        CustomFieldRegistration.register(settings);
        assertEquals(Map.of("goProxy", CustomFieldRegistration.LABEL), settings.getMap(KEY));
    }

    @Test
    void theAdministratorsFieldsStayInTheirOrderBeforeOurs() {
        MemorySettings settings = new MemorySettings()
                .with(KEY, "\"commitMsgRegex=Commit Message Regular Expression\" anotherProperty=Another");
        CustomFieldRegistration.register(settings);
        Map<String, String> fields = settings.getMap(KEY);
        assertEquals(List.of("commitMsgRegex", "anotherProperty", "goProxy"), List.copyOf(fields.keySet()));
        assertEquals("Commit Message Regular Expression", fields.get("commitMsgRegex"));
        assertEquals("Another", fields.get("anotherProperty"));
        assertEquals(CustomFieldRegistration.LABEL, fields.get("goProxy"));
    }

    @Test
    void anExistingItemForOurKeyWinsInAnyCase() {
        MemorySettings settings = new MemorySettings().with(KEY, "\"GOPROXY=Serve Go\" other=Other");
        String value = CustomFieldRegistration.register(settings);
        assertEquals("\"GOPROXY=Serve Go\" other=Other", value);
        assertEquals(Map.of("GOPROXY", "Serve Go", "other", "Other"), settings.getMap(KEY));
    }

    @Test
    void registeringTwiceAddsOneField() {
        MemorySettings settings = new MemorySettings().with(KEY, "a=A");
        CustomFieldRegistration.register(settings);
        CustomFieldRegistration.register(settings);
        assertEquals(List.of("a", "goProxy"), List.copyOf(settings.getMap(KEY).keySet()));
    }

    @Test
    void aValueGitblitCannotReadIsLeftAlone() {
        MemorySettings settings = new MemorySettings().with(KEY, "broken");
        assertEquals("broken", CustomFieldRegistration.register(settings));
        assertEquals("broken", settings.getString(KEY, null));
    }

    @Test
    void theFileIsNeverWritten() {
        MemorySettings settings = new MemorySettings().with(KEY, "a=A");
        CustomFieldRegistration.register(settings);
        assertEquals(0, settings.saves, "gitblit.properties must stay as the administrator wrote it");
    }
}
