package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.manager.IUserManager;
import com.gitblit.models.UserModel;
import com.gitblit.plugin.goproxy.token.TokenRecord;
import com.gitblit.plugin.goproxy.token.TokenSignIn;
import com.gitblit.plugin.goproxy.token.TokenStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Go access tokens on Gitblit's accounts: the store lives in the plugin's data folder, and a token's owner is
 * looked up in Gitblit's user service on every use, so the token has the owner's rights of that moment.
 *
 * <p>Who owns a token. Gitblit user names are case-insensitive, and Gitblit 1.9.3 and 1.10.0 give accounts no id
 * and plugins no rename event. A token records its owner's name and an <em>anchor</em>: a SHA-256 of the account's
 * {@code cookie}, a random value Gitblit keeps per account in users.conf, carries over a rename, and never changes
 * otherwise in these versions. The owner is:
 * <ol>
 *   <li>the account of the recorded name, when there is one (the anchor is brought up to date if it differs);</li>
 *   <li>else the account carrying the recorded anchor: the owner was renamed, and the tokens follow the new name
 *       (recorded in the store);</li>
 *   <li>else nobody: the account was deleted (while the plugin was stopped, or the delete listener could not
 *       write) and its tokens are removed now.</li>
 * </ol>
 * A deleted account's tokens are removed when Gitblit reports the deletion ({@link TokenOwnerListener}).
 */
final class GitblitTokens implements TokenSignIn.Owners<UserModel> {
    private static final Logger LOG = LoggerFactory.getLogger(GitblitTokens.class);

    private final TokenStore store;
    private final IUserManager users;

    GitblitTokens(TokenStore store, IUserManager users) {
        this.store = store;
        this.users = users;
    }

    TokenStore store() {
        return store;
    }

    /** The anchor of an account: a hash of its cookie, or "" when it has none. */
    static String anchorOf(UserModel user) {
        if (user == null || user.cookie == null || user.cookie.isEmpty()) {
            return "";
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(("goproxy-token-owner:" + user.cookie).getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                sb.append(String.format("%02x", d[i] & 0xff));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public UserModel current(TokenRecord record) {
        UserModel user = users.getUserModel(record.owner());
        if (user != null) {
            String anchor = anchorOf(user);
            if (!anchor.isEmpty() && !anchor.equals(record.anchor())) {
                write("anchor of " + user.username, () -> store.renameOwner(record.owner(), user.username, anchor));
            }
            return usable(user);
        }
        if (!record.anchor().isEmpty()) {
            for (UserModel u : users.getAllUsers()) {
                if (record.anchor().equals(anchorOf(u))) {
                    LOG.info("goproxy: the Go access tokens of {} now belong to {} (account renamed)", record.owner(),
                            u.username);
                    write("rename to " + u.username, () -> store.renameOwner(record.owner(), u.username, record.anchor()));
                    return usable(u);
                }
            }
        }
        LOG.info("goproxy: the account {} is gone: removing its Go access tokens", record.owner());
        write("removal", () -> store.revokeAll(record.owner(), false));
        return null;
    }

    @Override
    public boolean isNamed(UserModel principal, String userName) {
        return principal.username.equalsIgnoreCase(userName);
    }

    /** Gitblit deleted the account: its tokens go. */
    void ownerDeleted(String username) {
        try {
            int n = store.revokeAll(username, true);
            if (n > 0) {
                LOG.info("goproxy: account {} deleted: removed its {} Go access token(s)", username, n);
            }
        } catch (IOException e) {
            LOG.error("goproxy: could not remove the Go access tokens of deleted account {}: {}", username, e.toString());
        }
    }

    List<TokenRecord> tokensOf(UserModel user) {
        return store.list(user.username, true);
    }

    private static UserModel usable(UserModel user) {
        return user.disabled ? null : user;
    }

    private interface Write {
        void run() throws IOException;
    }

    private static void write(String what, Write w) {
        try {
            w.run();
        } catch (IOException e) {
            LOG.error("goproxy: Go access tokens: could not record the {}: {}", what, e.toString());
        }
    }
}
