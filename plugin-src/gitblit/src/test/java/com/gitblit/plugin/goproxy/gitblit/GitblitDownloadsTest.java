package com.gitblit.plugin.goproxy.gitblit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.concurrent.atomic.AtomicInteger;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

/** Module downloads on Gitblit hold a slot while they stream; beyond a client's share: 429 at once. */
class GitblitDownloadsTest {
    private static HttpServletRequest from(String peer, String forwardedFor) {
        HttpServletRequest r = mock(HttpServletRequest.class);
        when(r.getRemoteAddr()).thenReturn(peer);
        when(r.getHeaders("X-Forwarded-For")).thenAnswer(call -> Collections.enumeration(
                forwardedFor == null ? Collections.<String>emptyList() : Collections.singletonList(forwardedFor)));
        return r;
    }

    @Test
    void aClientBeyondItsShareOfDownloadsGets429WhileOthersAndSmallAnswersPass() throws Exception {
        MemorySettings settings = new MemorySettings().with(PluginSettings.MAX_DOWNLOADS_PER_CLIENT, "1")
                .with(PluginSettings.TRUSTED_PROXIES, "10.0.0.1");
        GitblitDownloads downloads = GitblitDownloads.create(settings);
        String zip = "git.example.com/team/lib/@v/v1.0.0.zip";
        AtomicInteger served = new AtomicInteger();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        HttpServletResponse refused = response(body);
        downloads.run(zip, from("10.0.0.1", "198.51.100.7"), mock(HttpServletResponse.class), () -> {
            served.incrementAndGet();
            // While this download streams, the same client asks again; others and .info are not held back.
            downloads.run(zip, from("10.0.0.1", "198.51.100.7"), refused, served::incrementAndGet);
            downloads.run(zip, from("10.0.0.1", "203.0.113.9"), mock(HttpServletResponse.class), served::incrementAndGet);
            downloads.run("git.example.com/team/lib/@v/v1.0.0.info", from("10.0.0.1", "198.51.100.7"),
                    mock(HttpServletResponse.class), served::incrementAndGet);
        });
        assertEquals(3, served.get());
        verify(refused).setStatus(429);
        verify(refused).setHeader("Retry-After", "5");
        assertEquals("too many downloads at once from this address (1): try again shortly\n",
                body.toString(StandardCharsets.UTF_8.name()));
        downloads.run(zip, from("10.0.0.1", "198.51.100.7"), mock(HttpServletResponse.class), served::incrementAndGet);
        assertEquals(4, served.get(), "the slot was given back");
    }

    private static HttpServletResponse response(ByteArrayOutputStream body) throws Exception {
        HttpServletResponse r = mock(HttpServletResponse.class);
        when(r.getOutputStream()).thenReturn(new ServletOutputStream() {
            @Override
            public void write(int b) {
                body.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
            }
        });
        return r;
    }
}
