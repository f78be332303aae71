package com.gitblit.plugin.goproxy.token;

import com.gitblit.plugin.goproxy.guard.BasicCredentials;
import com.gitblit.plugin.goproxy.guard.PasswordGuard;

/**
 * Checks a request's token, through the host's {@link PasswordGuard} so that failed token checks count in the
 * same per-client throttling as failed passwords. A token is accepted as:
 * <ul>
 *   <li>the password of {@code Authorization: Basic} (what the go command sends from {@code .netrc}), whose user
 *       name must name the token's owner;</li>
 *   <li>{@code Authorization: Bearer <token>} (Go 1.24's {@code GOAUTH} can send headers); failures of these
 *       count for the pseudo user {@value #BEARER}.</li>
 * </ul>
 * The owner's principal comes from the host ({@link Owners}) on every use, so a token carries the owner's current
 * rights and stops with the account. A remembered success is re-checked against the store each time (cheap), so a
 * revocation or an expiry counts at once.
 *
 * @param <P> the host's principal
 */
public final class TokenSignIn<P> {
    /** The user name under which failed Bearer tokens are counted. */
    public static final String BEARER = "(bearer token)";

    /** The host's side: who owns a token now. */
    public interface Owners<P> {
        /**
         * The principal of the token's owner as the account is now, or {@code null} when there is none (deleted,
         * disabled). May record a rename in the store.
         */
        P current(TokenRecord record);

        /** Whether {@code userName}, as sent with Basic credentials, names {@code principal}. */
        boolean isNamed(P principal, String userName);
    }

    private final TokenStore store;
    private final PasswordGuard<P> guard;
    private final Owners<P> owners;

    public TokenSignIn(TokenStore store, PasswordGuard<P> guard, Owners<P> owners) {
        this.store = store;
        this.guard = guard;
        this.owners = owners;
    }

    /**
     * Whether the {@code Authorization} header presents a token (well-formed or not): such a request is the
     * token check's alone and must never reach a password check.
     */
    public static boolean presentsToken(String authorization) {
        return bearerValue(authorization) != null || basicToken(authorization) != null;
    }

    /**
     * The owner of the token the header presents, or {@code null} when it presents none or a bad one.
     *
     * @throws com.gitblit.plugin.goproxy.proxy.AuthenticationThrottled when this client failed too often
     */
    public P authenticate(String authorization, String client) {
        final String bearer = bearerValue(authorization);
        final BasicCredentials basic = bearer == null ? basicToken(authorization) : null;
        if (bearer == null && basic == null) {
            return null;
        }
        final BasicCredentials asChecked = basic != null ? basic : BasicCredentials.of(BEARER, bearer);
        final String claimedUser = basic != null ? basic.user() : null;
        return guard.authenticate(client, asChecked, new PasswordGuard.Check<P>() {
            @Override
            public P verify() {
                return check(asChecked.password(), claimedUser);
            }

            @Override
            public P refresh(P earlier) {
                return check(asChecked.password(), claimedUser);
            }
        });
    }

    private P check(String text, String claimedUser) {
        GoToken token = GoToken.parse(text);
        if (token == null) {
            return null;
        }
        TokenRecord record = store.check(token);
        if (record == null) {
            return null;
        }
        P owner = owners.current(record);
        if (owner == null || (claimedUser != null && !owners.isNamed(owner, claimedUser))) {
            return null;
        }
        return owner;
    }

    private static String bearerValue(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String value = authorization.substring(7).trim();
        return GoToken.looksLikeToken(value) ? value : null;
    }

    private static BasicCredentials basicToken(String authorization) {
        BasicCredentials c = BasicCredentials.parse(authorization);
        return c != null && GoToken.looksLikeToken(c.password()) ? c : null;
    }
}
