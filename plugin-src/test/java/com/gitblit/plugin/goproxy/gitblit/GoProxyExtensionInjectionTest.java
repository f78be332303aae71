package com.gitblit.plugin.goproxy.gitblit;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import ro.fortsoft.pf4j.Extension;

/**
 * Gitblit creates each extension with {@code injector.getInstance(extensionClass)} and uses it only if it
 * carries pf4j 0.9.0's {@code @Extension}. Both must hold on Guice 4.0 (Gitblit 1.9.3) and 5.1.0 (1.10.0):
 * tagged "jgit" so the {@code host-1.10-libs} run repeats it on Guice 5.1.0.
 */
@Tag("jgit")
class GoProxyExtensionInjectionTest {

    @Test
    void guiceCreatesTheFilterAsGitblitDoes() {
        Injector injector = Guice.createInjector();
        assertInstanceOf(GoProxyFilter.class, injector.getInstance(GoProxyFilter.class));
    }

    @Test
    void theFilterIsAPf4jExtension() {
        assertTrue(GoProxyFilter.class.isAnnotationPresent(Extension.class));
    }
}
