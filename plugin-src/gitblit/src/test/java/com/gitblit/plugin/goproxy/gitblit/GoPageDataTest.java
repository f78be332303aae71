package com.gitblit.plugin.goproxy.gitblit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.when;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.Constants.AccessPermission;
import com.gitblit.Constants.AccessRestrictionType;
import com.gitblit.models.RepositoryModel;
import com.gitblit.models.UserModel;
import com.gitblit.plugin.goproxy.service.HostedRepository;

/**
 * Who reaches which Go page, as a table: viewer (anonymous, no rights, clone right, owner, administrator) against
 * repository (public, private, Go off, absent). Every cell that is not "yes" is the same answer, the one for a
 * repository that does not exist.
 */
class GoPageDataTest {
    @TempDir
    File base;

    private FakeGitblit gitblit;
    private GoPageData data;
    private final Map<String, UserModel> viewers = new LinkedHashMap<>();

    @BeforeEach
    void build() {
        gitblit = new FakeGitblit(base);
        gitblit.repository("team/public.git", AccessRestrictionType.PUSH, "true");
        gitblit.repository("team/private.git", AccessRestrictionType.VIEW, "true").owners.add("olivia");
        gitblit.repository("team/off.git", AccessRestrictionType.PUSH, "false").owners.add("olivia");
        viewers.put("anonymous", UserModel.ANONYMOUS);
        viewers.put("nobody", gitblit.user("nobody", "x"));
        viewers.put("reader", gitblit.user("reader", "x", "team/private.git", AccessPermission.CLONE));
        viewers.put("owner", gitblit.user("olivia", "x"));
        UserModel admin = gitblit.user("admin", "x");
        admin.canAdmin = true;
        viewers.put("admin", admin);
        when(gitblit.repositories.getRepositoryModels(any(UserModel.class))).thenAnswer(call -> {
            UserModel user = call.getArgument(0);
            List<RepositoryModel> out = new ArrayList<>();
            for (String name : gitblit.repositories.getRepositoryList()) {
                RepositoryModel m = gitblit.repositories.getRepositoryModel(name);
                if (user.canView(m)) {
                    out.add(m);
                }
            }
            return out;
        });
        GitblitModuleHost host = new GitblitModuleHost(gitblit.repositories, gitblit.authentication, gitblit.settings,
                new ModuleNamespace(gitblit.settings));
        gitblit.settings.with("web.canonicalUrl", "https://git.example.com");
        data = new GoPageData(host, null, gitblit.settings, gitblit.repositories);
    }

    private String tabs(String viewer) {
        TreeSet<String> out = new TreeSet<>();
        for (String r : List.of("team/public.git", "team/private.git", "team/off.git", "team/absent.git",
                "team/PUBLIC.git", "team/public")) {
            if (data.tabRepository(data.viewer(viewers.get(viewer)), r) != null) {
                out.add(r);
            }
        }
        return String.join(" ", out);
    }

    private String downloadable(String viewer) {
        TreeSet<String> out = new TreeSet<>();
        for (HostedRepository r : data.downloadableIn(data.viewer(viewers.get(viewer)), null, null)) {
            out.add(r.name() + "=" + r.rootModulePath());
        }
        return String.join(" ", out);
    }

    @Test
    void theGoTabIsForReadersWhereGoIsOnAndForOwnersAndAdministratorsAlways() {
        assertEquals("team/public.git", tabs("anonymous"));
        assertEquals("team/public.git", tabs("nobody"));
        assertEquals("team/private.git team/public.git", tabs("reader"));
        assertEquals("team/off.git team/private.git team/public.git", tabs("owner"));
        assertEquals("team/off.git team/private.git team/public.git", tabs("admin"));
    }

    @Test
    void theInstanceListHoldsExactlyWhatTheViewerMayDownload() {
        String pub = "team/public.git=git.example.com/team/public";
        String priv = "team/private.git=git.example.com/team/private";
        assertEquals(pub, downloadable("anonymous"));
        assertEquals(pub, downloadable("nobody"));
        assertEquals(priv + " " + pub, downloadable("reader"));
        assertEquals(priv + " " + pub, downloadable("owner"));
        assertEquals(priv + " " + pub, downloadable("admin"), "Go off is off for administrators too");
    }

    @Test
    void theProjectFilterKeepsOneProjectsRepositories() {
        gitblit.repository("tools/cli.git", AccessRestrictionType.PUSH, "true");
        gitblit.repository("top.git", AccessRestrictionType.PUSH, "true");
        UserModel v = data.viewer(viewers.get("nobody"));
        assertEquals(List.of("tools/cli.git"), names(data.downloadableIn(v, "TOOLS", null)));
        assertEquals(List.of("top.git"), names(data.downloadableIn(v, "main", null)), "Gitblit's root project");
        assertEquals(List.of(), names(data.downloadableIn(v, "nothere", null)));
    }

    private static List<String> names(List<HostedRepository> repositories) {
        List<String> out = new ArrayList<>();
        for (HostedRepository r : repositories) {
            out.add(r.name());
        }
        return out;
    }

    @Test
    void onlyOwnersAndAdministratorsMaySwitch() throws Exception {
        for (String viewer : List.of("anonymous", "nobody", "reader")) {
            UserModel v = data.viewer(viewers.get(viewer));
            org.junit.jupiter.api.Assertions.assertThrows(com.gitblit.GitBlitException.class,
                    () -> data.setSwitch(v, "team/off.git", Boolean.TRUE), viewer);
        }
        data.setSwitch(viewers.get("owner"), "team/off.git", Boolean.TRUE);
        org.mockito.Mockito.verify(gitblit.repositories).updateRepositoryModel(org.mockito.ArgumentMatchers.eq("team/off.git"),
                org.mockito.ArgumentMatchers.argThat(m -> "true".equals(m.customFields.get("goProxy"))),
                org.mockito.ArgumentMatchers.eq(false));
    }

    @Test
    void withAuthenticateViewPagesAnonymousVisitorsSeeNothing() {
        gitblit.settings.with("web.authenticateViewPages", "true");
        assertEquals("", tabs("anonymous"));
        assertEquals("", downloadable("anonymous"));
        assertEquals("team/public.git", tabs("nobody"));
    }
}
