package com.gitblit.plugin.goproxy.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.service.Artifact;
import com.gitblit.plugin.goproxy.service.GitDirRepository;
import com.gitblit.plugin.goproxy.service.ModuleService;
import com.gitblit.plugin.goproxy.service.ModuleServices;
import com.gitblit.plugin.goproxy.service.ProxySettings;
import com.gitblit.plugin.goproxy.service.ServiceFailure;
import com.gitblit.plugin.goproxy.testing.Eventually;

/**
 * The catalog over a real repository and the real module service: which modules a repository holds, their
 * versions as the proxy lists them, the tags it leaves out with its own reasons, and a version page.
 */
@Tag("jgit")
class ModuleCatalogTest {
    private static final String ROOT = "git.example.com/team/lib";

    @TempDir
    Path tmp;

    private Path work;
    private Git git;
    private GitDirRepository hosted;
    private ModuleService service;
    private ModuleCatalog catalog;
    private int commits;
    private String goModAtV110;

    @BeforeEach
    void build() throws Exception {
        work = tmp.resolve("work");
        git = Git.init().setDirectory(work.toFile()).call();
        hosted = new GitDirRepository("team/lib.git", ROOT, work.resolve(".git").toFile());
        service = ModuleServices.create(ProxySettings.builder().dataDirectory(tmp.resolve("data").toFile()).build());
        catalog = new ModuleCatalog(service);

        RevCommit c1 = commit("go.mod", "module " + ROOT + "\n\nretract v1.0.0 // broken build\n",
                "lib.go", "package lib\n");
        tag("v1.0.0", c1);
        RevCommit c2 = commit("sub/go.mod", "module " + ROOT + "/sub\n", "sub/s.go", "package sub\n");
        tag("v1.1.0-rc.1", c2);
        tag("sub/v0.1.0", c2);
        tag("v1.2", c2);
        tag("v0.0.0-20200101000000-abcdefabcdef", c2);
        RevCommit c3 = commit("v2/go.mod", "module " + ROOT + "/v2\n", "v2/l.go", "package lib\n",
                "go.mod", "module " + ROOT + "\n\nrequire (\n\t" + ROOT + "/sub v0.1.0\n\tgithub.com/x/y v1.0.0 // indirect\n)\n"
                        + "\nreplace example.com/old => ../local\n\nretract v1.0.0 // broken build\n",
                "internal/a/a.go", "package a\n", "testdata/t.go", "package t\n", "_skip/s.go", "package s\n",
                ".hidden/h.go", "package h\n", "docs/readme.txt", "no go here\n");
        goModAtV110 = new String(Files.readAllBytes(work.resolve("go.mod")), StandardCharsets.UTF_8);
        tag("v1.1.0", c3);
        tag("v2.0.0", c3);
        RevCommit c4 = commit("go.mod", "module example.com/elsewhere\n");
        tag("v1.3.0", c4);
        tag("sub/v0.2.0", commit("sub/go.mod", "module " + ROOT + "/sub\nrequire example.com/a\n"));
        tag("release-7", c4);
    }

    @AfterEach
    void close() {
        service.close();
        git.close();
    }

    @Test
    void listsRootNestedAndMajorModulesWithTheProxysVersionsNewestFirst() throws Exception {
        List<ModuleEntry> modules = catalog.modules(hosted, false);
        assertEquals(List.of(ROOT, ROOT + "/sub", ROOT + "/v2"),
                modules.stream().map(ModuleEntry::path).collect(Collectors.toList()));

        ModuleEntry root = modules.get(0);
        assertEquals(List.of("v1.1.0", "v1.1.0-rc.1", "v1.0.0"),
                root.versions().stream().map(VersionEntry::version).collect(Collectors.toList()));
        assertEquals("v1.1.0", root.latest());
        assertEquals("go get " + ROOT + "@v1.1.0", root.goGet());
        assertTrue(root.versions().get(1).prerelease());
        assertFalse(root.versions().get(0).prerelease());
        assertEquals("broken build", root.versions().get(2).retraction());
        assertNull(root.versions().get(0).retraction());
        assertEquals(Instant.parse("2024-01-01T00:02:00Z"), root.versions().get(0).time());
        assertEquals("v1.1.0", root.versions().get(0).tag());
        assertTrue(root.omitted().isEmpty(), "only asked for by those who may push");

        assertEquals("v2.0.0", modules.get(2).latest());
        assertEquals(List.of("v0.1.0"), modules.get(1).versions().stream().map(VersionEntry::version)
                .collect(Collectors.toList()));
    }

    @Test
    void omittedTagsCarryTheProxysReasonAndAgreeWithItsList() throws Exception {
        Map<String, String> why = new HashMap<>();
        for (ModuleEntry m : catalog.modules(hosted, true)) {
            for (OmittedTag t : m.omitted()) {
                why.put(t.tag(), t.reason());
            }
            List<String> shown = m.versions().stream().map(VersionEntry::version).sorted().collect(Collectors.toList());
            List<String> listed = new ArrayList<>(service.list(hosted, m.path()));
            listed.sort(null);
            assertEquals(listed, shown, "the page shows exactly what @v/list lists for " + m.path());
        }
        assertEquals(List.of("sub/v0.2.0", "v0.0.0-20200101000000-abcdefabcdef", "v1.2", "v1.3.0"),
                why.keySet().stream().sorted().collect(Collectors.toList()), why.toString());
        assertTrue(why.get("v1.2").contains("non-canonical"), why.get("v1.2"));
        assertTrue(why.get("v1.2").contains("v1.2.0"), why.get("v1.2"));
        assertTrue(why.get("v0.0.0-20200101000000-abcdefabcdef").contains("pseudo-version"));
        assertTrue(why.get("v1.3.0").contains("example.com/elsewhere"), why.get("v1.3.0"));
        // The proxy's own words: exactly what a download of that version answers (before issue 17's last step the
        // tab showed only the part after "invalid version: ").
        assertEquals(notFound(() -> service.zip(hosted, ROOT + "/sub", "v0.2.0")), why.get("sub/v0.2.0"));
        assertTrue(why.get("sub/v0.2.0").endsWith("invalid version: go.mod:2: usage: require module/path v1.2.3"),
                why.get("sub/v0.2.0"));
        assertEquals(notFound(() -> service.info(hosted, ROOT, "v1.3.0")), why.get("v1.3.0"));
    }

    @Test
    void versionPageLinksModulePathsByNamespaceAndListsPackages() throws Exception {
        GoModLinks links = new GoModLinks("git.example.com", p -> "/gomodule?m=" + p, "https://pkg.go.dev");
        VersionPage page = catalog.version(hosted, ROOT, "v1.1.0", links);
        Map<String, String> hrefs = new HashMap<>();
        StringBuilder text = new StringBuilder();
        for (GoModLinks.Line line : page.goMod()) {
            for (GoModLinks.Segment s : line.segments()) {
                text.append(s.text());
                if (s.href() != null) {
                    hrefs.put(s.text(), s.href());
                }
            }
            text.append('\n');
        }
        String goMod = goModAtV110;
        assertEquals(goMod, text.toString(), "the text is the go.mod, unchanged");
        assertEquals("/gomodule?m=" + ROOT, hrefs.get(ROOT));
        assertEquals("/gomodule?m=" + ROOT + "/sub", hrefs.get(ROOT + "/sub"));
        assertEquals("https://pkg.go.dev/github.com/x/y", hrefs.get("github.com/x/y"));
        assertEquals("https://pkg.go.dev/example.com/old", hrefs.get("example.com/old"));
        assertFalse(hrefs.containsKey("../local"), "a directory replacement stays text");
        assertEquals(List.of("", "internal/a"), page.packages());
        assertEquals(ROOT + "/internal/a", page.importPath("internal/a"));
        assertTrue(page.goSumLines().isEmpty(), "never served, so nothing is pinned");

        try (Artifact zip = service.zip(hosted, ROOT, "v1.1.0")) {
            zip.writeTo(OutputStream.nullOutputStream());
        }
        service.mod(hosted, ROOT, "v1.1.0").close();
        // The zip's h1 is recorded when its build ends, which may be just after the last byte reached the reader.
        List<String> sums = Eventually.within(Duration.ofSeconds(10)).value("both go.sum lines", () -> {
            List<String> lines = catalog.version(hosted, ROOT, "v1.1.0", links).goSumLines();
            return lines.size() == 2 ? lines : null;
        });
        assertTrue(sums.get(0).startsWith(ROOT + " v1.1.0 h1:"), sums.get(0));
        assertTrue(sums.get(1).startsWith(ROOT + " v1.1.0/go.mod h1:"), sums.get(1));
    }

    @Test
    void versionPageExistsOnlyForListedVersions() throws Exception {
        GoModLinks links = new GoModLinks("git.example.com", p -> p, "");
        assertNull(catalog.version(hosted, ROOT, "v1.3.0", links));
        assertNull(catalog.version(hosted, ROOT, "v9.9.9", links));
        assertNull(catalog.version(hosted, ROOT + "/nope", "v1.0.0", links));
        assertNull(links.targetOf("github.com/x/y"), "no docs site: no link outside the namespace");
    }

    @Test
    void instanceListSearchesAndPages() throws Exception {
        ModuleListPage all = catalog.instance(List.of(hosted), "", 1, 2);
        assertEquals(3, all.total());
        assertEquals(2, all.pages());
        assertEquals(List.of(ROOT, ROOT + "/sub"), all.rows().stream().map(ModuleSummary::path)
                .collect(Collectors.toList()));
        assertEquals("v1.1.0", all.rows().get(0).latest());
        ModuleListPage search = catalog.instance(List.of(hosted), "SUB", 1, 20);
        assertEquals(List.of(ROOT + "/sub"), search.rows().stream().map(ModuleSummary::path)
                .collect(Collectors.toList()));
        assertEquals(0, catalog.instance(List.of(hosted), "x".repeat(100_000), 1, 20).total());
        assertEquals(2, catalog.instance(List.of(hosted), "", 99, 2).page(), "a page past the end is the last");
    }

    /** The message of the 404 a proxy request answers. */
    static String notFound(org.junit.jupiter.api.function.Executable request) {
        ServiceFailure failure = org.junit.jupiter.api.Assertions.assertThrows(ServiceFailure.class, request);
        assertEquals(ServiceFailure.Kind.NOT_FOUND, failure.kind(), failure.getMessage());
        return failure.getMessage();
    }

    private RevCommit commit(String... pathsAndContents) throws Exception {
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            Path file = work.resolve(pathsAndContents[i]);
            Files.createDirectories(file.getParent());
            Files.write(file, pathsAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        git.add().addFilepattern(".").call();
        PersonIdent who = new PersonIdent("T", "t@example.com", java.util.Date.from(
                Instant.parse("2024-01-01T00:00:00Z").plusSeconds(60L * commits++)), java.util.TimeZone.getTimeZone("UTC"));
        return git.commit().setMessage("c").setAuthor(who).setCommitter(who).call();
    }

    private void tag(String name, RevCommit at) throws Exception {
        git.tag().setName(name).setObjectId(at).setAnnotated(false).call();
    }
}
