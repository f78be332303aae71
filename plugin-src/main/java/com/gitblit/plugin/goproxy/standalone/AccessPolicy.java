package com.gitblit.plugin.goproxy.standalone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.gitblit.plugin.goproxy.service.Caller;

/**
 * Who may read which repository. Without a users file nothing is private. With one, an access file lists
 * {@code <repository glob> <reader> [<reader> ...]} lines, a reader being a user name, {@code *} (any signed-in
 * user) or {@code anonymous} (everyone); a repository no line matches is readable by signed-in users only.
 * The first matching line decides. Globs match repository paths below the folder ({@code team/*},
 * {@code **}), with or without {@code .git}.
 */
final class AccessPolicy {
    private final UsersFile users;
    private final List<Rule> rules;

    private static final class Rule {
        final Pattern glob;
        final Set<String> readers;

        Rule(Pattern glob, Set<String> readers) {
            this.glob = glob;
            this.readers = readers;
        }
    }

    private AccessPolicy(UsersFile users, List<Rule> rules) {
        this.users = users;
        this.rules = rules;
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

    Caller authenticate(String authorization) {
        if (users == null || authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Caller.ANONYMOUS;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Caller.ANONYMOUS;
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Caller.ANONYMOUS;
        }
        String user = decoded.substring(0, colon);
        return users.verify(user, decoded.substring(colon + 1)) ? Caller.user(user) : Caller.ANONYMOUS;
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
