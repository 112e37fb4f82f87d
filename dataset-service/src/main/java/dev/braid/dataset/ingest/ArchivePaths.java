package dev.braid.dataset.ingest;

/**
 * Names inside an archive. Nothing is ever extracted to the file system (images go, encrypted,
 * into the database), so zip-slip cannot write anywhere; still, a name that would escape the
 * archive (absolute, drive-lettered, backslashed, with "..", or with control characters) is refused
 * outright rather than matched, so such an archive is reported for what it is.
 */
final class ArchivePaths {

    private ArchivePaths() {
    }

    static boolean isSafe(String name) {
        if (name == null || name.isEmpty() || name.length() > 1024 || name.startsWith("/") || name.contains("\\")
                || (name.length() > 1 && name.charAt(1) == ':')) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < 0x20) {
                return false;
            }
        }
        for (String segment : name.split("/", -1)) {
            if (segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /** "./images//a.png" and "images/a.png" name the same entry. */
    static String normalize(String name) {
        StringBuilder out = new StringBuilder();
        for (String segment : name.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(segment);
        }
        return out.toString();
    }

    /** The SHA-256 of a normalized path's UTF-8 bytes. */
    static byte[] digest(String path) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(path.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        catch (java.security.NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 unavailable", ex);
        }
    }
}
