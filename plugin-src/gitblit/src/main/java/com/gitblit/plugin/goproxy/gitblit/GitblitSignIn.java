package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.Constants;
import com.gitblit.Constants.AuthenticationType;
import com.gitblit.IStoredSettings;
import com.gitblit.manager.IAuthenticationManager;
import com.gitblit.models.UserModel;
import com.gitblit.plugin.goproxy.guard.BasicCredentials;
import com.gitblit.plugin.goproxy.guard.ClientAddresses;
import com.gitblit.plugin.goproxy.guard.PasswordGuard;
import java.util.Collections;
import javax.servlet.http.HttpServletRequest;

/**
 * Gitblit's authentication behind the {@link PasswordGuard}. Only requests whose sole credentials are a Basic
 * header go through the guard, since only their check is slow (PBKDF2 or an LDAP round trip in
 * {@link IAuthenticationManager#authenticate(HttpServletRequest)}); a session, a client certificate or Gitblit's
 * cookie go straight to Gitblit, which checks them first anyway. A remembered success is confirmed on every use
 * against Gitblit's current account (still there, not disabled, same stored password), so an account change
 * takes effect at once; external accounts (LDAP) keep a remembered password for the guard's five minutes.
 */
final class GitblitSignIn {
    private final IAuthenticationManager authentication;
    private final PasswordGuard<UserModel> guard;
    private final ClientAddresses addresses;

    GitblitSignIn(IAuthenticationManager authentication, PasswordGuard.Settings settings, ClientAddresses addresses) {
        this.authentication = authentication;
        this.guard = new PasswordGuard<>(settings);
        this.addresses = addresses;
    }

    /** With {@code goproxy.maxConcurrentPasswordChecks} and {@code goproxy.trustedProxies}. */
    static GitblitSignIn create(IAuthenticationManager authentication, IStoredSettings settings) {
        return new GitblitSignIn(authentication, PluginSettings.passwordChecks(settings),
                PluginSettings.trustedProxies(settings));
    }

    /** Gitblit's user for the request, or {@code null}; throws {@code AuthenticationThrottled} as the guard does. */
    UserModel authenticate(final HttpServletRequest request) {
        final BasicCredentials credentials = request == null ? null : BasicCredentials.parse(request.getHeader("Authorization"));
        if (credentials == null || hasOtherCredentials(request)) {
            return authentication.authenticate(request);
        }
        String client = addresses.clientOf(request.getRemoteAddr(), Collections.list(request.getHeaders("X-Forwarded-For")));
        return guard.authenticate(client, credentials, new PasswordGuard.Check<UserModel>() {
            @Override
            public UserModel verify() {
                UserModel user = authentication.authenticate(request);
                // Only a success of the Basic header itself says these credentials are right (Gitblit marks it;
                // a header-based provider configured in Gitblit could answer for someone else).
                boolean byThem = user != null && (request.getAttribute(Constants.ATTRIB_AUTHTYPE) == AuthenticationType.CREDENTIALS
                        || credentials.user().equalsIgnoreCase(user.username));
                return byThem ? user : null;
            }

            @Override
            public UserModel refresh(UserModel earlier) {
                UserModel now = authentication.authenticate(earlier.username);
                return now != null && !now.disabled && equal(now.password, earlier.password) ? now : null;
            }
        });
    }

    private boolean hasOtherCredentials(HttpServletRequest request) {
        return request.getAttribute(Constants.ATTRIB_AUTHUSER) != null || request.getUserPrincipal() != null
                || request.getAttribute("javax.servlet.request.X509Certificate") != null
                || authentication.getCookie(request) != null;
    }

    private static boolean equal(String a, String b) {
        return a == null ? b == null : a.equals(b);
    }
}
