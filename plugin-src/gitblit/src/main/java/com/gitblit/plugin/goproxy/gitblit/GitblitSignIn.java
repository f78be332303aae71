package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.Constants;
import com.gitblit.Constants.AuthenticationType;
import com.gitblit.IStoredSettings;
import com.gitblit.manager.IAuthenticationManager;
import com.gitblit.models.UserModel;
import com.gitblit.plugin.goproxy.guard.BasicCredentials;
import com.gitblit.plugin.goproxy.guard.ClientAddresses;
import com.gitblit.plugin.goproxy.guard.PasswordGuard;
import com.gitblit.plugin.goproxy.token.TokenSignIn;
import java.util.Collections;
import javax.servlet.http.HttpServletRequest;

/**
 * Gitblit's authentication behind the {@link PasswordGuard}. Only requests whose sole credentials are a Basic
 * header go through the guard, since only their check is slow (PBKDF2 or an LDAP round trip in
 * {@link IAuthenticationManager#authenticate(HttpServletRequest)}); a session, a client certificate or Gitblit's
 * cookie go straight to Gitblit, which checks them first anyway. A remembered success is confirmed on every use
 * against Gitblit's current account (still there, not disabled, same stored password), so an account change
 * takes effect at once; external accounts (LDAP) keep a remembered password for the guard's five minutes.
 *
 * <p>A request presenting a Go access token ({@link TokenSignIn#presentsToken}) is the token check's alone: the
 * token never reaches Gitblit's authentication (a wrong LDAP bind with it could lock the account), and its failures
 * count in the same guard as failed passwords. Without a token store such a request is simply not signed in.
 */
final class GitblitSignIn {
    private final IAuthenticationManager authentication;
    private final PasswordGuard<UserModel> guard;
    private final ClientAddresses addresses;
    private final TokenSignIn<UserModel> tokens;

    GitblitSignIn(IAuthenticationManager authentication, PasswordGuard.Settings settings, ClientAddresses addresses) {
        this(authentication, settings, addresses, null);
    }

    GitblitSignIn(IAuthenticationManager authentication, PasswordGuard.Settings settings, ClientAddresses addresses,
            GitblitTokens tokens) {
        this.authentication = authentication;
        this.guard = new PasswordGuard<>(settings);
        this.addresses = addresses;
        this.tokens = tokens == null ? null : new TokenSignIn<>(tokens.store(), guard, tokens);
    }

    /** With {@code goproxy.maxConcurrentPasswordChecks} and {@code goproxy.trustedProxies}. */
    static GitblitSignIn create(IAuthenticationManager authentication, IStoredSettings settings) {
        return create(authentication, settings, null);
    }

    /** The same, accepting the Go access tokens of {@code tokens} (null: none). */
    static GitblitSignIn create(IAuthenticationManager authentication, IStoredSettings settings, GitblitTokens tokens) {
        return new GitblitSignIn(authentication, PluginSettings.passwordChecks(settings),
                PluginSettings.trustedProxies(settings), tokens);
    }

    /** Gitblit's user for the request, or {@code null}; throws {@code AuthenticationThrottled} as the guard does. */
    UserModel authenticate(final HttpServletRequest request) {
        String header = request == null ? null : request.getHeader("Authorization");
        if (TokenSignIn.presentsToken(header)) {
            return tokens == null ? null : tokens.authenticate(header, clientOf(request));
        }
        final BasicCredentials credentials = request == null ? null : BasicCredentials.parse(request.getHeader("Authorization"));
        if (credentials == null || hasOtherCredentials(request)) {
            return authentication.authenticate(request);
        }
        String client = clientOf(request);
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

    private String clientOf(HttpServletRequest request) {
        return addresses.clientOf(request.getRemoteAddr(), Collections.list(request.getHeaders("X-Forwarded-For")));
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
