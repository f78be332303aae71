package com.gitblit.plugin.goproxy.standalone;

import java.io.IOException;
import java.nio.file.Path;

import com.gitblit.plugin.goproxy.token.TokenRecord;
import com.gitblit.plugin.goproxy.token.TokenSignIn;
import com.gitblit.plugin.goproxy.token.TokenStore;

/**
 * Go access tokens of the standalone server: kept beside the users file (its folder's {@code access-tokens}),
 * owned by users of that file. The owner of a token is, as in Gitblit:
 * <ol>
 *   <li>the user of the recorded name, when the users file has it;</li>
 *   <li>else the user whose entry carries the recorded anchor (a hash of the entry's salt and password hash): the
 *       line was renamed, and the tokens follow the new name;</li>
 *   <li>else nobody: the user was removed, and the tokens are deleted.</li>
 * </ol>
 * The users file is read once at start, so a user removed from it loses their tokens at the next start or use.
 */
final class StandaloneTokens implements TokenSignIn.Owners<String> {
    private final TokenStore store;
    private final UsersFile users;

    StandaloneTokens(TokenStore store, UsersFile users) {
        this.store = store;
        this.users = users;
    }

    /** The store of the users file {@code usersFile}: in its folder. */
    static TokenStore storeBeside(Path usersFile) throws IOException {
        Path folder = usersFile.toAbsolutePath().getParent();
        return TokenStore.open(folder);
    }

    TokenStore store() {
        return store;
    }

    @Override
    public String current(TokenRecord record) {
        try {
            if (users.has(record.owner())) {
                String anchor = users.anchorOf(record.owner());
                if (!anchor.equals(record.anchor())) {
                    store.renameOwner(record.owner(), record.owner(), anchor);
                }
                return record.owner();
            }
            String renamed = record.anchor().isEmpty() ? null : users.userWithAnchor(record.anchor());
            if (renamed != null) {
                store.renameOwner(record.owner(), renamed, record.anchor());
                return renamed;
            }
            store.revokeAll(record.owner(), false);
        } catch (IOException e) {
            // The answer stands; the store is corrected at the next use.
        }
        return null;
    }

    @Override
    public boolean isNamed(String principal, String userName) {
        return principal.equals(userName);
    }

    /** Deletes the tokens of owners who are no longer in the users file (nor renamed in it); returns how many. */
    int dropOrphans() throws IOException {
        int n = 0;
        for (TokenRecord r : store.list()) {
            if (current(r) == null) {
                n++;
            }
        }
        return n;
    }
}
