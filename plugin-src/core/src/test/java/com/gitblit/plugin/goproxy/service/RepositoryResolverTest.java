package com.gitblit.plugin.goproxy.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;

import com.gitblit.plugin.goproxy.testing.Eventually;

class RepositoryResolverTest {
    private final List<String> names = new ArrayList<>(Arrays.asList("team/lib.git", "team/lib/sub.git",
            "team/secret.git", "Team/Other.git", "top", "top.git"));
    private final AtomicInteger listings = new AtomicInteger();
    private final RepositoryResolver resolver = new RepositoryResolver(() -> {
        listings.incrementAndGet();
        return new ArrayList<>(names);
    });
    private final Set<String> readable = new HashSet<>(Arrays.asList("team/lib.git", "team/lib/sub.git",
            "Team/Other.git", "top", "top.git"));
    private final RepositoryAdmission admission = (caller, name, root) -> readable.contains(name) ? repo(name, root) : null;

    @Test
    void longestAdmittedPrefixWinsAndHiddenRepositoriesDoNotExist() {
        assertEquals("team/lib/sub.git", resolve("ns.io/team/lib/sub/v2").name());
        assertEquals("ns.io/team/lib/sub", resolve("ns.io/team/lib/sub/v2").rootModulePath());
        assertEquals("team/lib.git", resolve("ns.io/team/lib/pkg").name());
        readable.remove("team/lib/sub.git");
        assertEquals("team/lib.git", resolve("ns.io/team/lib/sub").name(), "a hidden repository: a shorter prefix");
        assertNull(resolve("ns.io/team/secret"));
    }

    @Test
    void namesMatchExactlyAndBareWins() {
        assertNull(resolve("ns.io/team/other"), "module paths are case-sensitive");
        assertEquals("Team/Other.git", resolve("ns.io/Team/Other").name());
        assertNull(resolve("ns.io/team/lib.git"), "no second spelling with .git");
        assertEquals("top.git", resolve("ns.io/top").name());
        assertNull(resolve("other.io/team/lib"), "outside the namespace");
        assertNull(resolve("ns.io"));
    }

    @Test
    void parentsOfAdmittedRepositoriesAreKnownWithoutRevealingOthers() {
        assertTrue(resolver.isParentOfAdmitted(Caller.ANONYMOUS, "ns.io", "ns.io/team", admission));
        assertTrue(resolver.isParentOfAdmitted(Caller.ANONYMOUS, "ns.io", "ns.io", admission));
        readable.retainAll(Arrays.asList("top"));
        assertFalse(resolver.isParentOfAdmitted(Caller.ANONYMOUS, "ns.io", "ns.io/team", admission),
                "only repositories the caller may use count");
        assertFalse(resolver.isParentOfAdmitted(Caller.ANONYMOUS, "ns.io", "ns.io/tea", admission));
    }

    @Test
    void theViewIsReadOnceAndRefreshedOnChange() throws Exception {
        for (int i = 0; i < 1000; i++) {
            resolve("ns.io/team/lib/a/b/c/d/e/f/g");
        }
        assertEquals(1, listings.get(), "hits cost no listing");
        names.add("new/repo.git");
        readable.add("new/repo.git");
        // A miss refreshes the view once it is old enough (not on every miss: misses are what a scan sends).
        HostedRepository found = Eventually.within(Duration.ofSeconds(10))
                .value("a miss to refresh an old view and find new/repo.git", () -> resolve("ns.io/new/repo"));
        assertEquals("new/repo.git", found.name());
        names.remove("new/repo.git");
        resolver.invalidate();
        assertNull(resolve("ns.io/new/repo"));
    }

    private HostedRepository resolve(String modulePath) {
        return resolver.resolve(Caller.ANONYMOUS, "ns.io", modulePath, admission);
    }

    private static HostedRepository repo(String name, String root) {
        return new HostedRepository() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String rootModulePath() {
                return root;
            }

            @Override
            public boolean anonymousReadable() {
                return true;
            }

            @Override
            public Repository open() throws IOException {
                throw new IOException("not opened in this test");
            }
        };
    }
}
