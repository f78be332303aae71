package com.gitblit.plugin.goproxy.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.gitblit.plugin.goproxy.service.Caller;
import com.gitblit.plugin.goproxy.service.HostedRepository;

/** The folder lookup: longest repository prefix, .git or not, never outside the folder. */
@Tag("jgit")
class FolderModuleHostTest {
    @TempDir
    static Path root;
    static Path folder;

    @BeforeAll
    static void repositories() throws Exception {
        folder = Files.createDirectories(root.resolve("repos"));
        bare(folder.resolve("team/lib.git"));
        bare(folder.resolve("team/lib/nested.git"));
        bare(folder.resolve("plain"));
        bare(root.resolve("outside.git"));
        Files.createDirectories(folder.resolve("notarepo"));
        Files.createSymbolicLink(folder.resolve("escape.git"), root.resolve("outside.git"));
    }

    static void bare(Path dir) throws Exception {
        Files.createDirectories(dir);
        Git.init().setBare(true).setDirectory(dir.toFile()).call().close();
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "example.test/team/lib          | team/lib.git        | example.test/team/lib",
        "example.test/team/lib/sub      | team/lib.git        | example.test/team/lib",
        "example.test/team/lib/v2       | team/lib.git        | example.test/team/lib",
        "example.test/team/lib/sub/v3   | team/lib.git        | example.test/team/lib",
        "example.test/team/lib/nested   | team/lib/nested.git | example.test/team/lib/nested",
        "example.test/team/lib/nested/v2| team/lib/nested.git | example.test/team/lib/nested",
        "example.test/plain             | plain               | example.test/plain",
        "example.test/plain/x/y         | plain               | example.test/plain",
        "example.test/team              | -                   | -",
        "example.test                   | -                   | -",
        "example.test/notarepo          | -                   | -",
        "example.test/absent/lib        | -                   | -",
        "example.test/escape            | -                   | -",
        "example.test/../outside        | -                   | -",
        "example.test/team/../../outside| -                   | -",
        "example.test/team/lib.git      | -                   | -",
        "example.test/TEAM/lib          | -                   | -",
        "other.test/team/lib            | -                   | -",
        "example.testx/team/lib         | -                   | -",
    })
    void lookup(String modulePath, String repository, String root) throws Exception {
        FolderModuleHost host = new FolderModuleHost(folder, "/example.test/", AccessPolicy.open());
        HostedRepository found = host.find(Caller.ANONYMOUS, modulePath, null);
        if (repository == null) {
            assertNull(found, () -> modulePath + " found " + found.name());
            return;
        }
        assertEquals(repository, found.name());
        assertEquals(root, found.rootModulePath());
        assertTrue(found.anonymousReadable());
        try (org.eclipse.jgit.lib.Repository r = found.open()) {
            assertTrue(r.isBare());
        }
    }

    @Test
    void emptyPrefixServesPathsBelowTheFolder() throws Exception {
        FolderModuleHost host = new FolderModuleHost(folder, "", AccessPolicy.open());
        assertEquals("", host.moduleNamespace(null));
        assertEquals("team/lib.git", host.find(Caller.ANONYMOUS, "team/lib/sub", null).name());
        assertNull(host.find(Caller.ANONYMOUS, "../outside", null));
        assertFalse(host.hidesRepositories());
    }

    @Test
    void accessRulesHideRepositories(@TempDir Path dir) throws Exception {
        Path users = dir.resolve("users");
        Files.write(users, (UsersFile.line("ann", "pw".toCharArray()) + "\n").getBytes(StandardCharsets.UTF_8));
        Path access = dir.resolve("access");
        Files.write(access, "plain anonymous\nteam/** ann\n".getBytes(StandardCharsets.UTF_8));
        FolderModuleHost host = new FolderModuleHost(folder, "example.test",
                AccessPolicy.load(UsersFile.load(users), access));
        assertTrue(host.hidesRepositories());
        assertTrue(host.find(Caller.ANONYMOUS, "example.test/plain", null).anonymousReadable());
        assertNull(host.find(Caller.ANONYMOUS, "example.test/team/lib", null));
        assertNull(host.find(Caller.user("bob"), "example.test/team/lib", null));
        HostedRepository r = host.find(Caller.user("ann"), "example.test/team/lib", null);
        assertEquals("team/lib.git", r.name());
        assertFalse(r.anonymousReadable());
    }

    @org.junit.jupiter.api.Test
    void aRepositoryDeletedSinceTheLastListingIsANotFoundNotAFault(@TempDir Path own) throws Exception {
        Path repos = Files.createDirectories(own.resolve("repos"));
        bare(repos.resolve("gone.git"));
        FolderModuleHost host = new FolderModuleHost(repos, "example.test", AccessPolicy.open());
        com.gitblit.plugin.goproxy.service.HostedRepository found =
                host.find(com.gitblit.plugin.goproxy.service.Caller.ANONYMOUS, "example.test/gone", null);
        org.junit.jupiter.api.Assertions.assertNotNull(found);
        try (java.util.stream.Stream<Path> s = Files.walk(repos.resolve("gone.git"))) {
            s.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(java.io.File::delete);
        }
        com.gitblit.plugin.goproxy.service.ModuleService service = com.gitblit.plugin.goproxy.service.ModuleServices
                .create(com.gitblit.plugin.goproxy.service.ProxySettings.builder().build());
        com.gitblit.plugin.goproxy.service.ServiceFailure e = org.junit.jupiter.api.Assertions.assertThrows(
                com.gitblit.plugin.goproxy.service.ServiceFailure.class, () -> service.list(found, "example.test/gone"));
        org.junit.jupiter.api.Assertions.assertEquals(com.gitblit.plugin.goproxy.service.ServiceFailure.Kind.NOT_FOUND, e.kind());
        service.close();
    }
}
