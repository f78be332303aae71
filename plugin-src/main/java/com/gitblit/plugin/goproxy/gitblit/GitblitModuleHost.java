package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.Constants;
import com.gitblit.IStoredSettings;
import com.gitblit.Keys;
import com.gitblit.manager.IAuthenticationManager;
import com.gitblit.manager.IRepositoryManager;
import com.gitblit.models.RepositoryModel;
import com.gitblit.models.UserModel;
import com.gitblit.plugin.goproxy.proxy.Caller;
import com.gitblit.plugin.goproxy.proxy.HostedRepository;
import com.gitblit.plugin.goproxy.proxy.ModuleHost;
import javax.servlet.http.HttpServletRequest;

/**
 * {@link ModuleHost} on Gitblit's managers. Rules:
 * <ul>
 *   <li>A repository exists for a caller only if Go is switched on for it ({@link GoSwitch}) and the caller has
 *       Gitblit's right to clone it; anything else is treated exactly like a repository that does not exist.
 *       With {@code web.authenticateViewPages}, anonymous callers see nothing, as in Gitblit's pages.</li>
 *   <li>The repository for a module path is the one with the longest root module path that is a path prefix
 *       of it, among the repositories the caller may use. The root module path of {@code team/lib.git} (bare)
 *       or {@code team/lib} (non-bare) is {@code <namespace>/team/lib}.</li>
 *   <li>Module paths are case-sensitive while Gitblit's name lookups are not: a match must have exactly the
 *       repository's name, so {@code Team/Lib} never reaches {@code team/lib.git}, and no other spelling
 *       ({@code team/lib.git} as a module path) reaches it either.</li>
 *   <li>Only clean relative paths are looked up (no empty, {@code .} or {@code ..} element, only characters
 *       module paths and Gitblit names share): Gitblit opens whatever folder a name points to.</li>
 *   <li>A project host ({@link #forProject}) sees only the repositories of one Gitblit project: those whose
 *       first path element is the project's name (case-insensitive, as Gitblit's projects), or the top-level
 *       repositories for Gitblit's root project name ({@code web.repositoryRootGroupName}, default
 *       {@code main}). The others are absent for it.</li>
 * </ul>
 */
final class GitblitModuleHost implements ModuleHost {
    private final IRepositoryManager repositories;
    private final IAuthenticationManager authentication;
    private final IStoredSettings settings;
    private final ModuleNamespace namespace;
    private final GoSwitch goSwitch;
    private final String project;
    private final GitblitSignIn signIn;

    /** {@code project}: serve only that Gitblit project's repositories; {@code null} for all of them. */
    GitblitModuleHost(IRepositoryManager repositories, IAuthenticationManager authentication,
            IStoredSettings settings, ModuleNamespace namespace, String project) {
        this(repositories, authentication, settings, namespace, project, GitblitSignIn.create(authentication, settings));
    }

    private GitblitModuleHost(IRepositoryManager repositories, IAuthenticationManager authentication,
            IStoredSettings settings, ModuleNamespace namespace, String project, GitblitSignIn signIn) {
        this.signIn = signIn;
        this.repositories = repositories;
        this.authentication = authentication;
        this.settings = settings;
        this.namespace = namespace;
        this.goSwitch = new GoSwitch(settings);
        this.project = project;
    }

    /** The same host, limited to one project's repositories. */
    GitblitModuleHost forProject(String projectName) {
        return new GitblitModuleHost(repositories, authentication, settings, namespace, projectName, signIn);
    }

    @Override
    public String moduleNamespace(HttpServletRequest request) {
        return namespace.of(request);
    }

    @Override
    public Caller authenticate(HttpServletRequest request) {
        UserModel user = signIn.authenticate(request);
        if (user == null || !user.isAuthenticated() || user.disabled) {
            return Caller.ANONYMOUS;
        }
        return Caller.user(user.username, user);
    }

    @Override
    public HostedRepository find(Caller caller, String modulePath, HttpServletRequest request) {
        final UserModel user = userOf(caller);
        if (user == null) {
            return null;
        }
        String ns = namespace.of(request);
        Match match = longestMatch(ns, modulePath, new Access() {
            @Override
            public boolean allows(RepositoryModel model) {
                return user.canClone(model);
            }
        });
        return match == null ? null
                : new GitblitRepository(repositories, match.model, match.rootModulePath, anonymousReadable(match.model));
    }

    /**
     * The repository a browser visiting {@code modulePath} should see: as {@link #find}, with Gitblit's right to
     * view instead of the right to clone. {@code null} when there is none for this caller.
     */
    RepositoryModel findViewable(Caller caller, String modulePath, HttpServletRequest request) {
        final UserModel user = userOf(caller);
        if (user == null) {
            return null;
        }
        Match match = longestMatch(namespace.of(request), modulePath, new Access() {
            @Override
            public boolean allows(RepositoryModel model) {
                return user.canView(model);
            }
        });
        return match == null ? null : match.model;
    }

    private interface Access {
        boolean allows(RepositoryModel model);
    }

    private static final class Match {
        final RepositoryModel model;
        final String rootModulePath;

        Match(RepositoryModel model, String rootModulePath) {
            this.model = model;
            this.rootModulePath = rootModulePath;
        }
    }

    private Match longestMatch(String ns, String modulePath, Access access) {
        String relative = relativePath(ns, modulePath);
        if (relative == null || !RepositoryNames.isClean(relative)) {
            return null;
        }
        // Longest prefix first: team/lib/sub/v2 tries team/lib/sub/v2, team/lib/sub, team/lib, team.
        String candidate = relative;
        while (!candidate.isEmpty()) {
            RepositoryModel model = usable(candidate, access);
            if (model != null) {
                return new Match(model, ns.isEmpty() ? candidate : ns + "/" + candidate);
            }
            int slash = candidate.lastIndexOf('/');
            candidate = slash < 0 ? "" : candidate.substring(0, slash);
        }
        return null;
    }

    private static String relativePath(String ns, String modulePath) {
        if (ns.isEmpty()) {
            return modulePath;
        }
        return modulePath.startsWith(ns + "/") ? modulePath.substring(ns.length() + 1) : null;
    }

    /** The repository whose name is {@code path} (bare {@code path.git} or non-bare {@code path}), if usable. */
    private RepositoryModel usable(String path, Access access) {
        // Gitblit's cached name list answers "no such name" without touching the disk.
        if (!repositories.hasRepository(path, false)) {
            return null;
        }
        for (String name : new String[] {path + ".git", path}) {
            RepositoryModel model = repositories.getRepositoryModel(name);
            if (model == null || !RepositoryNames.withoutDotGit(model.name).equals(path)) {
                continue;
            }
            if (!inProject(model) || !goSwitch.isEnabled(model) || !access.allows(model)) {
                return null;
            }
            return model;
        }
        return null;
    }

    private boolean inProject(RepositoryModel model) {
        if (project == null) {
            return true;
        }
        String first = RepositoryNames.firstElement(model.name);
        if (first.isEmpty()) {
            return project.equalsIgnoreCase(settings.getString(Keys.web.repositoryRootGroupName, "main"));
        }
        return project.equalsIgnoreCase(first);
    }

    private UserModel userOf(Caller caller) {
        if (caller.isAnonymous()) {
            // With web.authenticateViewPages, Gitblit shows nothing to anonymous visitors; neither do we.
            return settings.getBoolean(Keys.web.authenticateViewPages, false) ? null : UserModel.ANONYMOUS;
        }
        return (UserModel) caller.principal();
    }

    private boolean anonymousReadable(RepositoryModel model) {
        return !settings.getBoolean(Keys.web.authenticateViewPages, false) && UserModel.ANONYMOUS.canClone(model);
    }

    /** Gitblit always has accounts and permissions: an anonymous miss is answered with a challenge. */
    @Override
    public boolean hidesRepositories() {
        return true;
    }

    @Override
    public String realm() {
        return Constants.NAME;
    }
}
