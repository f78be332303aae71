package com.gitblit.plugin.goproxy.gitblit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.when;

import com.gitblit.Constants.AccessPermission;
import com.gitblit.Constants.AccessRestrictionType;
import com.gitblit.manager.IAuthenticationManager;
import com.gitblit.manager.IRepositoryManager;
import com.gitblit.models.RepositoryModel;
import com.gitblit.models.UserModel;
import com.gitblit.plugin.goproxy.service.Caller;
import com.gitblit.plugin.goproxy.service.HostedRepository;
import javax.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.invocation.Invocation;

/**
 * {@link GitblitModuleHost} over a repository manager that looks names up as Gitblit 1.9.3 does
 * (case-insensitively, {@code .git} ignored, deep copies), with Gitblit's real {@link UserModel} rules.
 */
class GitblitModuleHostTest {
    private static final String NS = "git.example.com";

    private FakeGitblit gitblit;
    private IRepositoryManager repositories;
    private IAuthenticationManager authentication;
    private MemorySettings settings;
    private GitblitModuleHost host;

    @BeforeEach
    void gitblit() {
        gitblit = new FakeGitblit(new java.io.File("target/unused"));
        repositories = gitblit.repositories;
        authentication = gitblit.authentication;
        settings = gitblit.settings.with(PluginSettings.MODULE_HOST, NS);
        host = new GitblitModuleHost(repositories, authentication, settings, new ModuleNamespace(settings));
    }

    private RepositoryModel repo(String name, AccessRestrictionType restriction, String goProxy) {
        RepositoryModel model = gitblit.repository(name, restriction, goProxy);
        host.repositoriesChanged(); // as Gitblit's repository life-cycle listener tells the plugin
        return model;
    }

    private static Caller user(String name, String repository, AccessPermission permission) {
        UserModel u = new UserModel(name);
        if (repository != null) {
            u.setRepositoryPermission(repository, permission);
        }
        return Caller.user(name, u);
    }

    private HostedRepository find(Caller caller, String modulePath) {
        return host.find(caller, modulePath, null);
    }

    @Test
    void theLongestRepositoryPathPrefixingTheModulePathWins() {
        repo("team/lib.git", AccessRestrictionType.PUSH, "true");
        repo("team/lib/sub.git", AccessRestrictionType.PUSH, "true");
        HostedRepository sub = find(Caller.ANONYMOUS, NS + "/team/lib/sub/pkg/v2");
        assertEquals("team/lib/sub.git", sub.name());
        assertEquals(NS + "/team/lib/sub", sub.rootModulePath());
        HostedRepository lib = find(Caller.ANONYMOUS, NS + "/team/lib/other");
        assertEquals("team/lib.git", lib.name());
        assertEquals(NS + "/team/lib", lib.rootModulePath());
        assertEquals(NS + "/team/lib", find(Caller.ANONYMOUS, NS + "/team/lib").rootModulePath());
        assertTrue(lib.anonymousReadable());
    }

    @Test
    void aLongerRepositoryTheCallerMayNotCloneDoesNotExistForThem() {
        repo("team/lib.git", AccessRestrictionType.PUSH, "true");
        repo("team/lib/sub.git", AccessRestrictionType.CLONE, "true");
        assertEquals("team/lib.git", find(Caller.ANONYMOUS, NS + "/team/lib/sub").name());
        Caller alice = user("alice", "team/lib/sub.git", AccessPermission.CLONE);
        assertEquals("team/lib/sub.git", find(alice, NS + "/team/lib/sub").name());
    }

    @Test
    void moduleCaseMustMatchTheRepositoryNameExactly() {
        repo("team/lib.git", AccessRestrictionType.PUSH, "true");
        assertNull(find(Caller.ANONYMOUS, NS + "/Team/lib"));
        assertNull(find(Caller.ANONYMOUS, NS + "/team/LIB/pkg"));
        repo("Tools/Gen.git", AccessRestrictionType.PUSH, "true");
        assertEquals(NS + "/Tools/Gen", find(Caller.ANONYMOUS, NS + "/Tools/Gen").rootModulePath());
        assertNull(find(Caller.ANONYMOUS, NS + "/tools/gen"));
    }

    @Test
    void theDotGitSpellingIsNoSecondModulePath() {
        repo("team/lib.git", AccessRestrictionType.PUSH, "true");
        assertNull(find(Caller.ANONYMOUS, NS + "/team/lib.git"));
        assertNull(find(Caller.ANONYMOUS, NS + "/team/lib.git/pkg"));
    }

    @Test
    void aNonBareRepositoryIsItsOwnName() {
        repo("team/app", AccessRestrictionType.PUSH, "true");
        assertEquals("team/app", find(Caller.ANONYMOUS, NS + "/team/app/cmd").name());
    }

    @Test
    void goMustBeSwitchedOnForTheRepositoryOrByDefault() {
        repo("team/off.git", AccessRestrictionType.PUSH, "false");
        repo("team/unset.git", AccessRestrictionType.PUSH, null);
        repo("team/blank.git", AccessRestrictionType.PUSH, "");
        Caller admin = Caller.user("admin", admin());
        assertNull(find(admin, NS + "/team/off"));
        assertNull(find(admin, NS + "/team/unset"));
        assertNull(find(admin, NS + "/team/blank"));
        settings.with(PluginSettings.ENABLED_BY_DEFAULT, "true");
        assertNull(find(admin, NS + "/team/off"), "the repository's own switch wins over the default");
        assertNotNull(find(admin, NS + "/team/unset"));
        assertNotNull(find(admin, NS + "/team/blank"));
    }

    private static UserModel admin() {
        UserModel admin = new UserModel("admin");
        admin.canAdmin = true;
        return admin;
    }

    @Test
    void modulePathsOutsideTheNamespaceMatchNothing() {
        repo("team/lib.git", AccessRestrictionType.PUSH, "true");
        assertNull(find(Caller.ANONYMOUS, "other.example.com/team/lib"));
        assertNull(find(Caller.ANONYMOUS, NS + "x/team/lib"));
        assertNull(find(Caller.ANONYMOUS, NS));
    }

    @Test
    void onlyCleanPathsReachGitblit() {
        repo("secret.git", AccessRestrictionType.PUSH, "true");
        for (String path : new String[] {"team/../secret", "./secret", "team//secret", "team/secret/", "a\\b",
                "team/%2e%2e/secret", "secret?x"}) {
            assertNull(find(Caller.ANONYMOUS, NS + "/" + path), path);
        }
        for (Invocation call : mockingDetails(repositories).getInvocations()) {
            for (Object argument : call.getArguments()) {
                assertFalse(String.valueOf(argument).contains(".."), "Gitblit was asked for " + call);
                assertFalse(String.valueOf(argument).contains("//"), "Gitblit was asked for " + call);
            }
        }
    }

    @Test
    void anonymousCallersSeeNothingWhenGitblitRequiresLoginForPages() {
        repo("team/lib.git", AccessRestrictionType.NONE, "true");
        assertTrue(find(Caller.ANONYMOUS, NS + "/team/lib").anonymousReadable());
        settings.with("web.authenticateViewPages", "true");
        assertNull(find(Caller.ANONYMOUS, NS + "/team/lib"));
        HostedRepository forBob = find(user("bob", null, null), NS + "/team/lib");
        assertNotNull(forBob);
        assertFalse(forBob.anonymousReadable(), "a shared cache must not keep what anonymous callers cannot get");
    }

    @Test
    void downloadingNeedsTheRightToCloneAndTheRepositoryPageTheRightToView() {
        repo("team/lib.git", AccessRestrictionType.CLONE, "true");
        Caller viewer = user("vera", "team/lib.git", AccessPermission.VIEW);
        assertNull(find(viewer, NS + "/team/lib"));
        assertEquals("team/lib.git", host.findViewable(viewer, NS + "/team/lib/pkg", null).name);
        assertNull(find(Caller.ANONYMOUS, NS + "/team/lib"));
        assertNotNull(host.findViewable(Caller.ANONYMOUS, NS + "/team/lib", null),
                "a CLONE-restricted repository's page is public in Gitblit");
        repo("team/hidden.git", AccessRestrictionType.VIEW, "true");
        assertNull(host.findViewable(Caller.ANONYMOUS, NS + "/team/hidden", null));
        assertNull(host.findViewable(viewer, NS + "/team/hidden", null));
    }

    @Test
    void aProjectHostSeesItsProjectOnly() {
        repo("team/lib.git", AccessRestrictionType.PUSH, "true");
        repo("team/nested/deep.git", AccessRestrictionType.PUSH, "true");
        repo("other/lib.git", AccessRestrictionType.PUSH, "true");
        repo("top.git", AccessRestrictionType.PUSH, "true");
        GitblitModuleHost team = host.forProject("team");
        assertEquals("team/lib.git", team.find(Caller.ANONYMOUS, NS + "/team/lib", null).name());
        assertEquals("team/nested/deep.git", team.find(Caller.ANONYMOUS, NS + "/team/nested/deep", null).name());
        assertNull(team.find(Caller.ANONYMOUS, NS + "/other/lib", null));
        assertNull(team.find(Caller.ANONYMOUS, NS + "/top", null));
        assertNotNull(host.forProject("TEAM").find(Caller.ANONYMOUS, NS + "/team/lib", null),
                "Gitblit's project names are case-insensitive");
        GitblitModuleHost main = host.forProject("main");
        assertEquals("top.git", main.find(Caller.ANONYMOUS, NS + "/top", null).name());
        assertNull(main.find(Caller.ANONYMOUS, NS + "/team/lib", null));
        settings.with("web.repositoryRootGroupName", "root");
        assertNull(main.find(Caller.ANONYMOUS, NS + "/top", null));
        assertNotNull(host.forProject("root").find(Caller.ANONYMOUS, NS + "/top", null));
    }

    @Test
    void callersAreWhomGitblitAuthenticates() {
        HttpServletRequest request = null;
        when(authentication.authenticate((HttpServletRequest) any())).thenReturn(null);
        assertSame(Caller.ANONYMOUS, host.authenticate(request));
        UserModel alice = new UserModel("alice");
        when(authentication.authenticate((HttpServletRequest) any())).thenReturn(alice);
        Caller caller = host.authenticate(request);
        assertEquals("alice", caller.name());
        assertSame(alice, caller.principal());
        alice.disabled = true;
        assertSame(Caller.ANONYMOUS, host.authenticate(request));
        when(authentication.authenticate((HttpServletRequest) any())).thenReturn(UserModel.ANONYMOUS);
        assertSame(Caller.ANONYMOUS, host.authenticate(request));
    }

    @Test
    void gitblitChallengesWithItsOwnRealm() {
        assertTrue(host.hidesRepositories());
        assertEquals("Gitblit", host.realm());
    }
}
