package dev.millwright.vulns;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python's version order, PEP 440 as the {@code packaging} library implements it: an epoch ({@code 1!}), a
 * release of any length whose trailing zeros do not count ({@code 1.13 == 1.13.0}), pre-releases (a, b, rc and
 * their spellings alpha, beta, c, pre, preview), post-releases ({@code .post1}, {@code -1}, {@code rev}),
 * development releases ({@code .dev0}, before everything else of the same release, pre-releases included), and
 * local versions ({@code +cu121}), after the public version they extend, numeric segments above text ones.
 */
public final class Pep440 implements VersionScheme {
    public static final Pep440 INSTANCE = new Pep440();

    private static final Pattern FORM = Pattern.compile(
            "v?(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\\.[0-9]+)*)"
                    + "(?<pre>[-_.]?(?<prel>alpha|beta|preview|pre|rc|a|b|c)[-_.]?(?<pren>[0-9]+)?)?"
                    + "(?<post>(?:-(?<postn1>[0-9]+))|(?:[-_.]?(?<postl>post|rev|r)[-_.]?(?<postn2>[0-9]+)?))?"
                    + "(?<dev>[-_.]?dev[-_.]?(?<devn>[0-9]+)?)?"
                    + "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?",
            Pattern.CASE_INSENSITIVE);

    private Pep440() {
    }

    @Override
    public String name() {
        return "PEP 440";
    }

    @Override
    public Parsed parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) throw new InvalidVersionException(text, name(), "expected [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]");
        List<String> release = new ArrayList<>(List.of(m.group("release").split("\\.")));
        for (int i = 0; i < release.size(); i++) release.set(i, strip(release.get(i)));
        while (release.size() > 1 && release.get(release.size() - 1).equals("0")) release.remove(release.size() - 1);
        int preKind = -1;
        String preNumber = null;
        if (m.group("pre") != null) {
            preKind = switch (m.group("prel")) {
                case "a", "alpha" -> 0;
                case "b", "beta" -> 1;
                default -> 2; // rc, c, pre, preview
            };
            preNumber = strip(m.group("pren") == null ? "0" : m.group("pren"));
        }
        String post = m.group("post") == null ? null
                : strip(m.group("postn1") != null ? m.group("postn1") : m.group("postn2") == null ? "0" : m.group("postn2"));
        String dev = m.group("dev") == null ? null : strip(m.group("devn") == null ? "0" : m.group("devn"));
        List<String> local = null;
        if (m.group("local") != null) {
            local = new ArrayList<>(List.of(m.group("local").split("[-_.]")));
            // numeric segments compare as numbers: 05 is 5
            local.replaceAll(seg -> seg.chars().allMatch(Character::isDigit) ? strip(seg) : seg);
        }
        return new Version(strip(m.group("epoch") == null ? "0" : m.group("epoch")), release, preKind, preNumber, post, dev, local);
    }

    private static String strip(String digits) {
        String s = digits.replaceFirst("^0+(?=.)", "");
        return s.isEmpty() ? "0" : s;
    }

    record Version(String epoch, List<String> release, int preKind, String preNumber, String post, String dev, List<String> local)
            implements Parsed {
        @Override
        public int compareTo(Parsed other) {
            Version o = (Version) other;
            int c = SemVer.numeric(epoch, o.epoch);
            if (c != 0) return c;
            for (int i = 0; i < Math.max(release.size(), o.release.size()); i++) {
                c = SemVer.numeric(i < release.size() ? release.get(i) : "0", i < o.release.size() ? o.release.get(i) : "0");
                if (c != 0) return c;
            }
            c = Integer.compare(preRank(), o.preRank());
            if (c == 0 && preKind >= 0) c = SemVer.numeric(preNumber, o.preNumber);
            if (c != 0) return c;
            // no post-release sorts before any post-release
            c = post == null || o.post == null ? Boolean.compare(post != null, o.post != null) : SemVer.numeric(post, o.post);
            if (c != 0) return c;
            // no development release sorts after any development release
            c = dev == null || o.dev == null ? Boolean.compare(dev == null, o.dev == null) : SemVer.numeric(dev, o.dev);
            if (c != 0) return c;
            return compareLocal(local, o.local);
        }

        /** Where the pre-release part puts it: a dev-only release below every pre-release, a final release above. */
        private int preRank() {
            if (preKind >= 0) return preKind;
            return post == null && dev != null ? -1 : 3;
        }

        private static int compareLocal(List<String> a, List<String> b) {
            if (a == null || b == null) return Boolean.compare(a != null, b != null);
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                boolean an = a.get(i).chars().allMatch(Character::isDigit);
                boolean bn = b.get(i).chars().allMatch(Character::isDigit);
                int c = an && bn ? SemVer.numeric(strip(a.get(i)), strip(b.get(i))) : an != bn ? (an ? 1 : -1) : a.get(i).compareTo(b.get(i));
                if (c != 0) return c;
            }
            return Integer.compare(a.size(), b.size());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Version v && compareTo(v) == 0;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(epoch, release, preKind, preNumber, post, dev, local);
        }
    }
}
