package com.gitblit.plugin.goproxy.gitblit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.gitblit.Constants;
import com.gitblit.Constants.AuthenticationType;
import com.gitblit.manager.IAuthenticationManager;
import com.gitblit.models.UserModel;
import com.gitblit.plugin.goproxy.guard.ClientAddresses;
import com.gitblit.plugin.goproxy.guard.PasswordGuard;
import com.gitblit.plugin.goproxy.service.Caller;
import com.gitblit.plugin.goproxy.proxy.GoProxyServlet;
import com.gitblit.plugin.goproxy.service.ModuleService;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Gitblit's authentication behind the password guard: Gitblit's slow check (its authentication manager, a
 * Mockito mock that behaves as Gitblit 1.9.3's does for Basic credentials) runs once per credentials, not once
 * per request; guessing from one address is throttled with 429.
 */
class GitblitSignInTest {
    private IAuthenticationManager authentication;
    private UserModel alice;
    private GitblitSignIn signIn;

    @BeforeEach
    void gitblit() {
        authentication = mock(IAuthenticationManager.class);
        alice = new UserModel("alice");
        alice.password = "PBKDF2WithHmacSHA256:stored-hash";
        when(authentication.authenticate(any(HttpServletRequest.class))).thenAnswer(call -> {
            HttpServletRequest request = call.getArgument(0);
            String header = request.getHeader("Authorization");
            String[] c = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8).split(":", 2);
            if (c[0].equals("alice") && c[1].equals("right")) {
                request.setAttribute(Constants.ATTRIB_AUTHUSER, "alice");
                request.setAttribute(Constants.ATTRIB_AUTHTYPE, AuthenticationType.CREDENTIALS);
                return alice;
            }
            return null;
        });
        when(authentication.authenticate(anyString())).thenAnswer(call -> "alice".equals(call.getArgument(0)) ? alice : null);
        signIn = new GitblitSignIn(authentication, new PasswordGuard.Settings().maxConcurrentChecks(2),
                ClientAddresses.trusting("10.0.0.1"));
    }

    /** A request as Gitblit's container gives it: headers, attributes, a peer address. */
    private static HttpServletRequest request(String peer, String user, String password, String forwardedFor) {
        HttpServletRequest r = mock(HttpServletRequest.class);
        Map<String, Object> attributes = new HashMap<>();
        when(r.getHeader("Authorization")).thenReturn(user == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        when(r.getHeaders("X-Forwarded-For")).thenAnswer(call -> Collections.enumeration(
                forwardedFor == null ? Collections.<String>emptyList() : Collections.singletonList(forwardedFor)));
        when(r.getRemoteAddr()).thenReturn(peer);
        when(r.getMethod()).thenReturn("GET");
        when(r.getRequestURI()).thenReturn("/go/git.example.com/team/lib/@v/list");
        when(r.getAttribute(anyString())).thenAnswer(call -> attributes.get(call.getArgument(0)));
        org.mockito.Mockito.doAnswer(call -> attributes.put(call.getArgument(0), call.getArgument(1)))
                .when(r).setAttribute(anyString(), any());
        return r;
    }

    @Test
    void aWrongPasswordCostsGitblitOneCheckHoweverOftenItIsSent() {
        for (int i = 0; i < 50; i++) {
            assertNull(signIn.authenticate(request("192.0.2.1", "alice", "stale", null)));
        }
        verify(authentication, times(1)).authenticate(any(HttpServletRequest.class));
    }

    @Test
    void aRightPasswordIsCheckedOnceAndConfirmedCheaplyAgainstTheCurrentAccount() {
        for (int i = 0; i < 20; i++) {
            assertSame(alice, signIn.authenticate(request("192.0.2.1", "alice", "right", null)));
        }
        verify(authentication, times(1)).authenticate(any(HttpServletRequest.class));
        alice.password = "PBKDF2WithHmacSHA256:changed";
        UserModel changed = new UserModel("alice");
        changed.password = "PBKDF2WithHmacSHA256:changed-again";
        when(authentication.authenticate(anyString())).thenReturn(changed);
        signIn.authenticate(request("192.0.2.1", "alice", "right", null));
        verify(authentication, times(2)).authenticate(any(HttpServletRequest.class));
    }

    @Test
    void requestsWithAGitblitCookieGoStraightToGitblit() {
        when(authentication.getCookie(any(HttpServletRequest.class))).thenReturn("cookie");
        for (int i = 0; i < 3; i++) {
            signIn.authenticate(request("192.0.2.1", "alice", "stale", null));
        }
        verify(authentication, times(3)).authenticate(any(HttpServletRequest.class));
        verify(authentication, never()).authenticate(anyString());
    }

    @Test
    void guessingFromOneAddressIsAnswered429WhileTheUsersCiElsewhereSignsIn() throws Exception {
        FakeGitblit gitblit = new FakeGitblit(new java.io.File("target/unused"));
        MemorySettings settings = gitblit.settings.with(PluginSettings.MODULE_HOST, "git.example.com")
                .with(PluginSettings.TRUSTED_PROXIES, "10.0.0.1");
        GitblitModuleHost host = new GitblitModuleHost(gitblit.repositories, authentication, settings,
                new ModuleNamespace(settings));
        GoProxyServlet proxy = new GoProxyServlet(host, mock(ModuleService.class));
        for (int i = 0; i < 5; i++) {
            assertSame(Caller.ANONYMOUS, host.authenticate(request("10.0.0.1", "alice", "guess" + i, "198.51.100.7")));
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        HttpServletResponse response = response(body);
        proxy.handle("git.example.com/team/lib/@v/list", request("10.0.0.1", "alice", "guess5", "198.51.100.7"), response);
        verify(response).setStatus(429);
        verify(response).setHeader("Retry-After", "30");
        assertEquals("too many failed sign-ins for alice from this address: try again later\n",
                body.toString(StandardCharsets.UTF_8.name()));
        assertEquals("alice", host.authenticate(request("10.0.0.1", "alice", "right", "203.0.113.5")).name(),
                "another client behind the same proxy is not locked out");
        assertEquals("alice", host.forProject("team").authenticate(request("192.0.2.9", "alice", "right", null)).name(),
                "project hosts share the guard: no second check");
        verify(authentication, times(6)).authenticate(any(HttpServletRequest.class));
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
        when(r.getWriter()).thenReturn(new PrintWriter(body));
        return r;
    }
}
