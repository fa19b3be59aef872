package org.pvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** README and docs name only files a clone has: relative links resolve, nothing points outside the repository. */
class ReadmeLinksTest {
    static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)[^)]*\\)");
    static final Pattern CODE_PATH = Pattern.compile("`(\\.\\./[^`\\s]+)`");

    @Test
    void everyRelativeLinkResolvesInsideTheRepository() throws Exception {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md")));
        try (var s = Files.list(Path.of("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
        }
        Path repo = Path.of("").toAbsolutePath();
        for (Path page : pages) {
            String text = Files.readString(page);
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("[a-z]+:.*")) {
                    continue; // a URL
                }
                Path resolved = page.toAbsolutePath().getParent().resolve(target).normalize();
                assertThat(resolved).as(page + " links " + target).startsWith(repo).exists();
            }
            List<String> outside = CODE_PATH.matcher(text).results().map(r -> r.group(1)).toList();
            assertThat(outside).as(page + " names paths outside the repository").isEmpty();
        }
    }
}
