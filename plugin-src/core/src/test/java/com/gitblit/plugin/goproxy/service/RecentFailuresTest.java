package com.gitblit.plugin.goproxy.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** The admin view's recent failures: newest first, bounded, and a failure that comes back is one row. */
class RecentFailuresTest {
    @Test
    void newestFirstAndBounded() {
        RecentFailures f = new RecentFailures(3);
        for (int i = 0; i < 5; i++) {
            f.record("m@v1.0." + i, "build failed");
        }
        assertEquals(List.of("m@v1.0.4", "m@v1.0.3", "m@v1.0.2"),
                f.list().stream().map(RecentFailures.Failure::subject).collect(Collectors.toList()));
    }

    @Test
    void aRepeatedFailureIsOneRowCountedAndMovedToTheTop() {
        RecentFailures f = new RecentFailures(3);
        f.record("repository", "team/lib.git is damaged");
        f.record("m@v1.0.0", "no build slot");
        f.record("repository", "team/lib.git is damaged");
        f.record("repository", "team/lib.git is damaged");
        List<RecentFailures.Failure> list = f.list();
        assertEquals(2, list.size());
        assertEquals("repository", list.get(0).subject());
        assertEquals(3, list.get(0).times());
        assertEquals(1, list.get(1).times());
        f.record("repository", "another reason");
        assertEquals(3, f.list().size(), "another reason is another row");
    }
}
