package com.gitblit.plugin.goproxy.gitblit;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.gitblit.Constants.AccessPermission;
import com.gitblit.Constants.AccessRestrictionType;
import com.gitblit.Constants.AuthorizationControl;
import com.gitblit.manager.IAuthenticationManager;
import com.gitblit.manager.IRepositoryManager;
import com.gitblit.manager.IRuntimeManager;
import com.gitblit.models.RepositoryModel;
import com.gitblit.models.UserModel;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.servlet.http.HttpServletRequest;

/**
 * Gitblit's managers as mocks that behave like Gitblit 1.9.3's where the plugin relies on them: repository names
 * looked up case-insensitively with {@code .git} ignored, models handed out as copies, Basic credentials checked
 * against a user table (wrong ones give {@code null}, as Gitblit does). Permissions are Gitblit's own
 * {@link UserModel} rules.
 */
final class FakeGitblit {
    final MemorySettings settings = new MemorySettings();
    final IRepositoryManager repositories = mock(IRepositoryManager.class);
    final IAuthenticationManager authentication = mock(IAuthenticationManager.class);
    final IRuntimeManager runtime = mock(IRuntimeManager.class);
    private final Map<String, RepositoryModel> byKey = new LinkedHashMap<>();
    private final Map<String, UserModel> users = new LinkedHashMap<>();
    private final Map<String, String> passwords = new LinkedHashMap<>();

    FakeGitblit(File baseFolder) {
        when(repositories.hasRepository(anyString(), anyBoolean()))
                .thenAnswer(call -> byKey.containsKey(key(call.getArgument(0))));
        when(repositories.getRepositoryList()).thenAnswer(call -> {
            java.util.List<String> names = new java.util.ArrayList<>();
            for (RepositoryModel m : byKey.values()) {
                names.add(m.name);
            }
            return names;
        });
        when(repositories.getRepositoryModel(anyString())).thenAnswer(call -> {
            RepositoryModel m = byKey.get(key(call.getArgument(0)));
            return m == null ? null : copy(m);
        });
        when(authentication.authenticate(any(HttpServletRequest.class))).thenAnswer(call -> {
            HttpServletRequest request = call.getArgument(0);
            String header = request == null ? null : request.getHeader("Authorization");
            if (header == null || !header.startsWith("Basic ")) {
                return null;
            }
            String[] credentials = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8)
                    .split(":", 2);
            UserModel user = users.get(credentials[0]);
            return user != null && credentials.length == 2 && credentials[1].equals(passwords.get(credentials[0]))
                    ? user : null;
        });
        when(runtime.getSettings()).thenReturn(settings);
        when(runtime.getFileOrFolder(eq(PluginSettings.DATA_FOLDER), anyString()))
                .thenReturn(new File(baseFolder, "goproxy"));
    }

    /** Gitblit's cache key: {@code .git} stripped, lower case. */
    private static String key(String name) {
        return RepositoryNames.withoutDotGit(name).toLowerCase(Locale.ROOT);
    }

    RepositoryModel repository(String name, AccessRestrictionType restriction, String goProxy) {
        RepositoryModel m = new RepositoryModel();
        m.name = name;
        m.projectPath = RepositoryNames.firstElement(name);
        m.isBare = name.endsWith(".git");
        m.accessRestriction = restriction;
        m.authorizationControl = AuthorizationControl.NAMED;
        if (goProxy != null) {
            m.customFields = new LinkedHashMap<>();
            m.customFields.put("goProxy", goProxy);
        }
        byKey.put(key(name), m);
        return m;
    }

    UserModel user(String name, String password) {
        UserModel u = new UserModel(name);
        users.put(name, u);
        passwords.put(name, password);
        return u;
    }

    UserModel user(String name, String password, String repository, AccessPermission permission) {
        UserModel u = user(name, password);
        u.setRepositoryPermission(repository, permission);
        return u;
    }

    private static RepositoryModel copy(RepositoryModel m) {
        RepositoryModel c = new RepositoryModel();
        c.name = m.name;
        c.projectPath = m.projectPath;
        c.isBare = m.isBare;
        c.accessRestriction = m.accessRestriction;
        c.authorizationControl = m.authorizationControl;
        c.customFields = m.customFields == null ? null : new LinkedHashMap<>(m.customFields);
        c.owners = new java.util.ArrayList<>(m.owners);
        return c;
    }
}
