package com.gitblit.plugin.goproxy.gitblit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.gitblit.extensions.HttpRequestFilter;
import com.gitblit.extensions.RepositoryLifeCycleListener;
import com.gitblit.manager.IAuthenticationManager;
import com.gitblit.manager.IRepositoryManager;
import com.gitblit.manager.IRuntimeManager;
import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import java.io.File;
import java.lang.reflect.Field;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ro.fortsoft.pf4j.Extension;

/**
 * Gitblit creates each extension with {@code injector.getInstance(extensionClass)} on its own injector (whose
 * CoreModule binds the managers) and uses it only if it carries pf4j 0.9.0's {@code @Extension}. The filter and
 * the repository listener must get the same {@link GoProxyRuntime}, one per injector, on Guice 4.0 (Gitblit
 * 1.9.3) and 5.1.0 (1.10.0): tagged "jgit" so the {@code plugin-src/host-1.10} run repeats it on Guice 5.1.0.
 */
@Tag("jgit")
class GoProxyExtensionInjectionTest {

    private static Injector gitblitLikeInjector(File baseFolder) {
        MemorySettings settings = new MemorySettings();
        IRuntimeManager runtime = mock(IRuntimeManager.class);
        when(runtime.getSettings()).thenReturn(settings);
        when(runtime.getFileOrFolder(PluginSettings.DATA_FOLDER, "${baseFolder}/goproxy"))
                .thenReturn(new File(baseFolder, "goproxy"));
        IRepositoryManager repositories = mock(IRepositoryManager.class);
        IAuthenticationManager authentication = mock(IAuthenticationManager.class);
        return Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                bind(IRuntimeManager.class).toInstance(runtime);
                bind(IRepositoryManager.class).toInstance(repositories);
                bind(IAuthenticationManager.class).toInstance(authentication);
                bind(com.gitblit.manager.IUserManager.class).toInstance(mock(com.gitblit.manager.IUserManager.class));
            }
        });
    }

    @Test
    void guiceCreatesTheExtensionsAsGitblitDoesAndTheyShareOneRuntime(@TempDir File base) throws Exception {
        Injector injector = gitblitLikeInjector(base);
        Object filter = injector.getInstance(GoProxyFilter.class);
        Object listener1 = injector.getInstance(RepositoryPurgeListener.class);
        Object listener2 = injector.getInstance(RepositoryPurgeListener.class);
        Object hook = injector.getInstance(GoReceiveHook.class);
        assertTrue(filter instanceof HttpRequestFilter);
        assertTrue(hook instanceof com.gitblit.extensions.ReceiveHook);
        assertTrue(listener1 instanceof RepositoryLifeCycleListener);
        GoProxyRuntime runtime = runtimeOf(filter);
        runtime.start();
        try {
            assertFalse(runtime.failed(), "the runtime failed to set up");
        } finally {
            runtime.stop();
        }
        assertSame(runtime, runtimeOf(listener1));
        assertSame(runtime, runtimeOf(listener2));
        assertSame(runtime, runtimeOf(hook));
    }

    @Test
    void aSecondGitblitGetsItsOwnRuntime(@TempDir File base) throws Exception {
        GoProxyRuntime a = runtimeOf(gitblitLikeInjector(base).getInstance(GoProxyFilter.class));
        GoProxyRuntime b = runtimeOf(gitblitLikeInjector(base).getInstance(GoProxyFilter.class));
        assertFalse(a == b);
    }

    @Test
    void theExtensionsArePf4jExtensions() {
        assertTrue(GoProxyFilter.class.isAnnotationPresent(Extension.class));
        assertTrue(RepositoryPurgeListener.class.isAnnotationPresent(Extension.class));
        assertTrue(GoProxySshCommands.class.isAnnotationPresent(Extension.class));
        assertTrue(GoReceiveHook.class.isAnnotationPresent(Extension.class));
    }

    private static GoProxyRuntime runtimeOf(Object extension) throws ReflectiveOperationException {
        Field f = extension.getClass().getDeclaredField("runtime");
        f.setAccessible(true);
        return (GoProxyRuntime) f.get(extension);
    }
}
