package com.gitblit.plugin.goproxy.gitblit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModuleNamespaceTest {

    @ParameterizedTest
    @CsvSource({
        "https://git.example.com, git.example.com",
        "https://Git.Example.com:8443/, git.example.com",
        "https://git.example.com/gitblit/, git.example.com/gitblit",
        "http://127.0.0.1:8080, 127.0.0.1",
        "'', ",
        "not a url, ",
        "/relative/path, "})
    void theCanonicalUrlGivesHostAndPathWithoutPort(String url, String namespace) {
        assertEquals(namespace, ModuleNamespace.fromUrl(url));
    }

    @ParameterizedTest
    @CsvSource({"go.example.com, go.example.com", "/example.com/mods/, example.com/mods"})
    void theModuleHostSettingWins(String setting, String namespace) {
        MemorySettings settings = new MemorySettings().with(PluginSettings.MODULE_HOST, setting)
                .with("web.canonicalUrl", "https://git.example.com");
        assertEquals(namespace, new ModuleNamespace(settings).of(null));
    }
}
