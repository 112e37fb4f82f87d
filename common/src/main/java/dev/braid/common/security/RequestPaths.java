package dev.braid.common.security;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;

/**
 * What a request path really names. The gateway refuses any path that could mean something other
 * than it reads ({@link #ambiguity}); a service decides what is exempt or internal on the path as
 * a server would resolve it ({@link #normalise}), never on the raw text a client chose.
 */
public final class RequestPaths {

    private RequestPaths() {
    }

    /**
     * Why the raw path is ambiguous, or empty when it is plain: a dot segment (plain or
     * percent-encoded), an encoded slash or backslash, a backslash, a {@code ;} (path parameters,
     * which servers strip before matching), an encoded {@code %} (double encoding), a control
     * character, a malformed escape, or an escaped letter, digit, {@code -}, {@code .}, {@code _} or
     * {@code ~}: those are never escaped (RFC 3986, 2.3), so {@code /%65vents} can only be meant to
     * pass for {@code /events} past whatever matches the raw path.
     */
    public static Optional<String> ambiguity(String rawPath) {
        if (rawPath.indexOf('\\') >= 0) {
            return Optional.of("a backslash");
        }
        if (rawPath.indexOf(';') >= 0) {
            return Optional.of("a ';'");
        }
        for (int i = rawPath.indexOf('%'); i >= 0 && i + 2 < rawPath.length(); i = rawPath.indexOf('%', i + 1)) {
            int high = Character.digit(rawPath.charAt(i + 1), 16);
            int low = Character.digit(rawPath.charAt(i + 2), 16);
            if (high >= 0 && low >= 0 && isUnreserved((char) (high * 16 + low))) {
                return Optional.of("an escaped letter, digit or '-._~', which are never escaped");
            }
        }
        for (String segment : rawPath.split("/", -1)) {
            String decoded;
            try {
                decoded = decode(segment);
            }
            catch (IllegalArgumentException ex) {
                return Optional.of("a malformed percent-escape");
            }
            if (decoded.equals(".") || decoded.equals("..")) {
                return Optional.of("a dot segment");
            }
            if (decoded.indexOf('/') >= 0 || decoded.indexOf('\\') >= 0) {
                return Optional.of("an encoded slash or backslash");
            }
            if (decoded.indexOf('%') >= 0 || decoded.indexOf(';') >= 0) {
                return Optional.of("an encoded '%' or ';'");
            }
            if (decoded.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                return Optional.of("a control character");
            }
        }
        return Optional.empty();
    }

    private static boolean isUnreserved(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~';
    }

    /**
     * The path as a server resolves it: percent-decoded, backslashes read as slashes, path
     * parameters dropped, empty and {@code .} segments removed and {@code ..} applied (never above
     * the root). A malformed escape leaves the path as {@code /%}, which names nothing.
     */
    public static String normalise(String rawPath) {
        Deque<String> segments = new ArrayDeque<>();
        String decoded;
        try {
            decoded = decode(rawPath).replace('\\', '/');
        }
        catch (IllegalArgumentException ex) {
            return "/%";
        }
        for (String segment : decoded.split("/")) {
            int parameters = segment.indexOf(';');
            String name = parameters >= 0 ? segment.substring(0, parameters) : segment;
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                segments.pollLast();
            }
            else {
                segments.addLast(name);
            }
        }
        return "/" + String.join("/", segments);
    }

    /** Whether the resolved path lies under the prefix ({@code /internal}: itself or below it), ignoring case. */
    public static boolean isUnder(String normalisedPath, String prefix) {
        String path = normalisedPath.toLowerCase(Locale.ROOT);
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    private static String decode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    throw new IllegalArgumentException("truncated escape");
                }
                int hi = Character.digit(text.charAt(i + 1), 16);
                int lo = Character.digit(text.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("bad escape");
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            }
            else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
