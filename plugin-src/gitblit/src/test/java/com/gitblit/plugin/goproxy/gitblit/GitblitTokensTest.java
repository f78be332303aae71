package com.gitblit.plugin.goproxy.gitblit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.gitblit.manager.IUserManager;
import com.gitblit.models.UserModel;
import com.gitblit.plugin.goproxy.token.TokenRecord;
import com.gitblit.plugin.goproxy.token.TokenStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who owns a token in Gitblit: by name, else by the account's anchor (a rename), else nobody (a deletion). */
class GitblitTokensTest {
    @TempDir
    Path dir;

    private final Map<String, UserModel> accounts = new LinkedHashMap<>();
    private TokenStore store;
    private GitblitTokens tokens;

    @BeforeEach
    void setUp() throws Exception {
        IUserManager users = mock(IUserManager.class);
        // Gitblit's user names are case-insensitive: it looks them up lower-cased.
        when(users.getUserModel(anyString())).thenAnswer(c -> accounts.get(c.getArgument(0, String.class).toLowerCase()));
        when(users.getAllUsers()).thenAnswer(c -> new ArrayList<>(accounts.values()));
        store = TokenStore.open(dir);
        tokens = new GitblitTokens(store, users);
    }

    private UserModel account(String name, String cookie) {
        UserModel u = new UserModel(name);
        u.cookie = cookie;
        accounts.put(name, u);
        return u;
    }

    @Test
    void theOwnerIsTheAccountOfTheNameWhateverItsCase() throws Exception {
        UserModel alice = account("alice", "c1");
        TokenRecord r = store.create("Alice", GitblitTokens.anchorOf(alice), "x", 0).record;
        assertSame(alice, tokens.current(r));
        assertTrue(tokens.isNamed(alice, "ALICE"));
        alice.disabled = true;
        assertNull(tokens.current(r), "a disabled account's tokens do not work");
    }

    @Test
    void aRenamedAccountKeepsItsTokens() throws Exception {
        UserModel alice = account("alice", "c1");
        TokenStore.Created c = store.create("alice", GitblitTokens.anchorOf(alice), "x", 0);
        accounts.remove("alice");
        UserModel alicia = account("alicia", "c1");
        assertSame(alicia, tokens.current(c.record));
        assertEquals("alicia", store.get(c.record.id()).owner(), "the store follows the rename");
    }

    @Test
    void aDeletedAccountsTokensAreRemovedAndANewAccountOfTheSameNameGetsNone() throws Exception {
        UserModel bob = account("bob", "c2");
        TokenStore.Created c = store.create("bob", GitblitTokens.anchorOf(bob), "x", 0);
        store.create("bob", GitblitTokens.anchorOf(bob), "y", 0);
        tokens.ownerDeleted("BOB");
        assertTrue(store.list().isEmpty());
        TokenStore.Created d = store.create("carol", "anchor-of-a-gone-account", "z", 0);
        assertNull(tokens.current(d.record), "no account by name or anchor: gone");
        assertNull(store.get(d.record.id()), "and its tokens with it");
        assertNull(store.check(c.token));
    }

    @Test
    void anAccountWithoutACookieStillOwnsItsTokensByName() throws Exception {
        UserModel dave = account("dave", null);
        assertEquals("", GitblitTokens.anchorOf(dave));
        TokenRecord r = store.create("dave", "", "x", 0).record;
        assertSame(dave, tokens.current(r));
        dave.cookie = "c3";
        assertSame(dave, tokens.current(r));
        assertEquals(GitblitTokens.anchorOf(dave), store.get(r.id()).anchor(), "the anchor is brought up to date");
    }
}
