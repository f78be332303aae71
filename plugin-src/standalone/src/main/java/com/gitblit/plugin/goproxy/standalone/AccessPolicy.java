package com.gitblit.plugin.goproxy.standalone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import javax.servlet.http.HttpServletRequest;

import com.gitblit.plugin.goproxy.guard.BasicCredentials;
import com.gitblit.plugin.goproxy.guard.ClientAddresses;
import com.gitblit.plugin.goproxy.guard.PasswordGuard;
import com.gitblit.plugin.goproxy.service.Caller;
import com.gitblit.plugin.goproxy.token.TokenSignIn;

/**
 * Who may read which repository. Without a users file nothing is private. With one, an access file lists
 * {@code <repository glob> <reader> [<reader> ...]} lines, a reader being a user name, {@code *} (any signed-in
 * user) or {@code anonymous} (everyone); a repository no line matches is readable by signed-in users only.
 * The first matching line decides. Globs match repository paths below the folder ({@code team/*},
 * {@code **}), with or without {@code .git}. Password checks go through a {@link PasswordGuard}. A request
 * presenting a Go access token is checked by the token store alone ({@link TokenSignIn}), through the same guard.
 */
final class AccessPolicy {
    private final UsersFile users;
    private final List<Rule> rules;
    private final PasswordGuard<String> guard;
    private final ClientAddresses addresses;
    private final StandaloneTokens tokens;
    private final TokenSignIn<String> tokenSignIn;

    private static final class Rule {
        final Pattern glob;
        final Set<String> readers;

        Rule(Pattern glob, Set<String> readers) {
            this.glob = glob;
            this.readers = readers;
        }
    }

    private AccessPolicy(UsersFile users, List<Rule> rules, PasswordGuard<String> guard, ClientAddresses addresses,
            StandaloneTokens tokens) {
        this.users = users;
        this.rules = rules;
        this.guard = guard;
        this.addresses = addresses;
        this.tokens = tokens;
        this.tokenSignIn = tokens == null ? null : new TokenSignIn<String>(tokens.store(), guard, tokens);
    }

    private AccessPolicy(UsersFile users, List<Rule> rules) {
        this(users, rules, new PasswordGuard<String>(new PasswordGuard.Settings()), ClientAddresses.direct(), null);
    }

    /** The same policy, with these limits on password checks and these trusted proxies. */
    AccessPolicy guarded(PasswordGuard.Settings settings, ClientAddresses trustedProxies) {
        return new AccessPolicy(users, rules, new PasswordGuard<String>(settings), trustedProxies, tokens);
    }

    /** The same policy, also accepting the Go access tokens of {@code store} (owned by users of the users file). */
    AccessPolicy withTokens(com.gitblit.plugin.goproxy.token.TokenStore store) {
        return new AccessPolicy(users, rules, guard, addresses, new StandaloneTokens(store, users));
    }

    /** The tokens this policy accepts, or null. */
    StandaloneTokens tokens() {
        return tokens;
    }

    static AccessPolicy open() {
        return new AccessPolicy(null, Collections.<Rule>emptyList());
    }

    static AccessPolicy load(UsersFile users, Path accessFile) throws IOException {
        List<Rule> rules = new ArrayList<>();
        if (accessFile != null) {
            int n = 0;
            for (String line : Files.readAllLines(accessFile, StandardCharsets.UTF_8)) {
                n++;
                String t = line.trim();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] parts = t.split("\\s+");
                if (parts.length < 2) {
                    throw new IOException(accessFile + ":" + n + ": want \"<repository glob> <reader>...\"");
                }
                Set<String> readers = new LinkedHashSet<>();
                for (int i = 1; i < parts.length; i++) {
                    readers.add(parts[i]);
                }
                rules.add(new Rule(glob(parts[0]), readers));
            }
        }
        return new AccessPolicy(users, rules);
    }

    boolean hidesRepositories() {
        return users != null;
    }

    /** The caller of a request: its Basic credentials, checked through the guard. */
    Caller authenticate(HttpServletRequest request) {
        return authenticate(request.getHeader("Authorization"), addresses.clientOf(request.getRemoteAddr(),
                Collections.list(request.getHeaders("X-Forwarded-For"))));
    }

    Caller authenticate(String authorization) {
        return authenticate(authorization, "unknown");
    }

    private Caller authenticate(String authorization, String client) {
        if (TokenSignIn.presentsToken(authorization)) {
            String owner = users == null || tokenSignIn == null ? null : tokenSignIn.authenticate(authorization, client);
            return owner == null ? Caller.ANONYMOUS : Caller.user(owner);
        }
        final BasicCredentials credentials = users == null ? null : BasicCredentials.parse(authorization);
        if (credentials == null) {
            return Caller.ANONYMOUS;
        }
        String user = guard.authenticate(client, credentials, new PasswordGuard.Check<String>() {
            @Override
            public String verify() {
                return users.verify(credentials.user(), credentials.password()) ? credentials.user() : null;
            }

            @Override
            public String refresh(String earlier) {
                // The users file is read once at start: what passed stays true.
                return earlier;
            }
        });
        return user == null ? Caller.ANONYMOUS : Caller.user(user);
    }

    boolean mayRead(Caller caller, String repository) {
        if (users == null) {
            return true;
        }
        Set<String> readers = readersOf(repository);
        if (readers == null) {
            return !caller.isAnonymous();
        }
        if (readers.contains("anonymous")) {
            return true;
        }
        return !caller.isAnonymous() && (readers.contains("*") || readers.contains(caller.name()));
    }

    boolean anonymousMayRead(String repository) {
        return mayRead(Caller.ANONYMOUS, repository);
    }

    private Set<String> readersOf(String repository) {
        String bare = repository.endsWith(".git") ? repository.substring(0, repository.length() - 4) : repository;
        for (Rule r : rules) {
            if (r.glob.matcher(repository).matches() || r.glob.matcher(bare).matches()) {
                return r.readers;
            }
        }
        return null;
    }

    /** {@code **} any path, {@code *} within one element, {@code ?} one character. */
    static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                re.append(".*");
                i++;
            } else if (c == '*') {
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
