package com.gitblit.plugin.goproxy.catalog;

import static com.gitblit.plugin.goproxy.catalog.ModuleCatalogTest.notFound;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.stream.Collectors;

import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.release.TagVerdict;
import com.gitblit.plugin.goproxy.release.VersionTag;
import com.gitblit.plugin.goproxy.service.GitDirRepository;
import com.gitblit.plugin.goproxy.service.ModuleService;
import com.gitblit.plugin.goproxy.service.ModuleServices;
import com.gitblit.plugin.goproxy.service.ProxySettings;
import com.gitblit.plugin.goproxy.testing.DamagedRepository;
import com.gitblit.plugin.goproxy.testing.JGitRepo;

/**
 * The tab's "not served and why" for what only a zip build would otherwise tell (a file name a zip may not hold,
 * a case collision, more than 500 MiB), and for tags under directories no module can live in: each with the
 * sentence a download of that version answers and the push check gives, from the one verdict all three ask.
 */
@Tag("jgit")
class UnservedTagsTest {
    private static final String ROOT = "git.example.com/team/lib";
    private static final String GO_MOD = "module " + ROOT + "\n";

    @TempDir
    Path tmp;

    private JGitRepo repo;
    private GitDirRepository hosted;
    private ModuleService service;
    private ModuleCatalog catalog;

    @BeforeEach
    void build() throws Exception {
        repo = JGitRepo.init(tmp.resolve("work")).clock(Instant.parse("2024-01-01T00:00:00Z"), Duration.ofMinutes(1),
                TimeZone.getTimeZone("UTC"));
        hosted = new GitDirRepository("team/lib.git", ROOT, repo.gitDir().toFile());
        service = ModuleServices.create(ProxySettings.builder().dataDirectory(tmp.resolve("data").toFile()).build());
        catalog = new ModuleCatalog(service);
        repo.tag("v1.0.0", repo.commit("go.mod", GO_MOD, "lib.go", "package lib\n"));
    }

    @AfterEach
    void close() {
        service.close();
        repo.close();
    }

    @Test
    void zipRulesDecidedFromTheListingAreOnTheTabInTheDownloadsWords() throws Exception {
        RevCommit badName = repo.commit("bad:name.go", "package lib\n");
        repo.tag("v1.1.0", badName);
        RevCommit collision = repo.commit("bad:name.go", null, "README.md", "a\n", "readme.md", "b\n");
        repo.tag("v1.2.0", collision);
        repo.tag("v1.3.0", oversized());

        Map<String, String> why = omitted(ROOT);
        for (String v : List.of("v1.1.0", "v1.2.0", "v1.3.0")) {
            String download = notFound(() -> service.zip(hosted, ROOT, v));
            assertEquals(download, why.get(v), v + ": the tab says what the download answers");
            TagVerdict push = service.checkTag(hosted, VersionTag.parse(v), commitOf(v));
            assertFalse(push.served(), v);
            assertEquals(download, push.problem(), v + ": the push check says it too");
        }
        assertTrue(why.get("v1.1.0").contains("bad:name.go"), why.get("v1.1.0"));
        assertTrue(why.get("v1.2.0").contains("case-insensitive file name collision"), why.get("v1.2.0"));
        assertTrue(why.get("v1.3.0").contains("too large (max size is 524288000 bytes)"), why.get("v1.3.0"));
        ModuleEntry root = catalog.modules(hosted, true).get(0);
        assertEquals(List.of("v1.0.0"), root.versions().stream().map(VersionEntry::version).collect(Collectors.toList()),
                "a version no zip can be made of is not among the served versions");
    }

    @Test
    void aTagUnderADirectoryNoModuleCanLiveInIsAnUnservedTagNeverAModule() throws Exception {
        RevCommit c = repo.commit("x/go.mod", "module " + ROOT + "/x\n", "x/x.go", "package x\n");
        String script = "<script>alert(1)</script>/v1.0.0";
        repo.tag(script, c);
        repo.tag("bad@dir/v1.0.0", c);
        repo.tag("x/v1.0.0", c);

        List<ModuleEntry> modules = catalog.modules(hosted, true);
        assertEquals(List.of(ROOT, ROOT + "/x"), modules.stream().map(ModuleEntry::path).collect(Collectors.toList()),
                "no heading for a directory that is no module path");
        Map<String, String> why = omitted(ROOT);
        assertEquals(List.of("<script>alert(1)</script>/v1.0.0", "bad@dir/v1.0.0"),
                why.keySet().stream().sorted().collect(Collectors.toList()));
        assertTrue(why.get(script).startsWith("malformed module path \"" + ROOT + "/<script>alert(1)</script>\""),
                why.get(script));
        assertTrue(why.get("bad@dir/v1.0.0").contains("invalid char '@'"), why.get("bad@dir/v1.0.0"));
        assertEquals(why.get(script), service.checkTag(hosted, VersionTag.parse(script), c.name()).problem());
        assertTrue(catalog.modules(hosted, false).stream().allMatch(m -> m.omitted().isEmpty()));
        assertEquals(2, catalog.instance(List.of(hosted), "", 1, 50).total(), "nor a row on the instance list");
        assertNull(catalog.module(hosted, ROOT + "/<script>alert(1)</script>", true));
    }

    @Test
    void theVerdictIsAskedOncePerRefState() throws Exception {
        repo.tag("v1.1.0", repo.commit("bad:name.go", "package lib\n"));
        List<?> first = service.tagVerdicts(hosted);
        assertTrue(first == service.tagVerdicts(hosted), "the same ref state answers from memory");
        repo.tag("v1.2.0", repo.commit("ok.go", "package lib\n"));
        List<?> after = service.tagVerdicts(hosted);
        assertFalse(first == after, "a new tag is a new ref state");
        assertEquals(3, after.size());
    }

    /** A verdict given while an object was missing is not kept: putting the object back brings the tag back. */
    @Test
    void aVerdictFromADamagedRepositoryIsNotKept() throws Exception {
        try (DamagedRepository r = DamagedRepository.createBare(tmp.resolve("damaged.git"))) {
            GitDirRepository damaged = new GitDirRepository("team/damaged.git", "example.com/m", r.gitDir().toFile());
            r.tag("v1.0.0", r.commit("go.mod", "module example.com/m\n"));
            RevCommit c = r.commit("go.mod", "module example.com/m\n\n// v1.1.0\n");
            r.tag("v1.1.0", c);
            ObjectId goMod = r.objectAt(c, "go.mod");
            byte[] saved = DamagedRepository.read(r.looseFile(goMod));
            r.deleteObject(goMod);
            Map<String, String> why = new HashMap<>();
            for (com.gitblit.plugin.goproxy.source.TagListing t : service.tagVerdicts(damaged)) {
                why.put(t.tag(), t.reason());
            }
            assertEquals("its files cannot be read", why.get("v1.1.0"), why.toString());
            assertNull(why.get("v1.0.0"));
            r.restore(goMod, saved);
            assertTrue(service.tagVerdicts(damaged).stream().allMatch(t -> t.served()),
                    "the repair changes no ref, and the tab must see it");
        }
    }

    private Map<String, String> omitted(String module) throws Exception {
        Map<String, String> out = new HashMap<>();
        for (ModuleEntry m : catalog.modules(hosted, true)) {
            if (m.path().equals(module)) {
                for (OmittedTag t : m.omitted()) {
                    out.put(t.tag(), t.reason());
                }
            }
        }
        return out;
    }

    private String commitOf(String tag) throws Exception {
        return repo.repository().exactRef(Constants.R_TAGS + tag).getObjectId().name();
    }

    /**
     * A commit whose tree holds go.mod and the same 260 MiB blob (zeros, a few hundred KiB on disk) under two
     * names: 520 MiB uncompressed, refused from the objects' sizes without reading them.
     */
    private RevCommit oversized() throws Exception {
        long size = 260L << 20;
        try (ObjectInserter ins = repo.repository().newObjectInserter(); RevWalk walk = new RevWalk(repo.repository())) {
            ObjectId big = ins.insert(Constants.OBJ_BLOB, size, new InputStream() {
                private long left = size;

                @Override
                public int read() {
                    return left-- > 0 ? 0 : -1;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = (int) Math.min(len, left);
                    java.util.Arrays.fill(b, off, off + n, (byte) 0);
                    left -= n;
                    return n;
                }
            });
            TreeFormatter tree = new TreeFormatter();
            tree.append("a.bin", FileMode.REGULAR_FILE, big);
            tree.append("b.bin", FileMode.REGULAR_FILE, big);
            tree.append("go.mod", FileMode.REGULAR_FILE, ins.insert(Constants.OBJ_BLOB,
                    GO_MOD.getBytes(StandardCharsets.UTF_8)));
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(ins.insert(tree));
            PersonIdent who = new PersonIdent("T", "t@example.com", java.util.Date.from(
                    Instant.parse("2024-02-01T00:00:00Z")), TimeZone.getTimeZone("UTC"));
            commit.setAuthor(who);
            commit.setCommitter(who);
            commit.setMessage("big");
            commit.setParentId(repo.repository().resolve("HEAD"));
            ObjectId id = ins.insert(commit);
            ins.flush();
            return walk.parseCommit(id);
        }
    }
}
