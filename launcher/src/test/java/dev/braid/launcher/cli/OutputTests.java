package dev.braid.launcher.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the command line prints of text it got from the API: shown as written, never acted on by the terminal. */
class OutputTests {

    @Test
    void shouldWriteEveryCharacterATerminalActsOnAsAnEscape() {
        assertThat(Output.safe("plain names, ünïcödé and emoji 🙂 stay")).isEqualTo("plain names, ünïcödé and emoji 🙂 stay");
        assertThat(Output.safe("clear\u001b[2J\u001b]0;title\u0007")).isEqualTo("clear\\u001b[2J\\u001b]0;title\\u0007");
        assertThat(Output.safe("two\nlines\r\tand\u007f")).isEqualTo("two\\nlines\\r\\tand\\u007f");
        assertThat(Output.safe("c1 \u009b31m csi")).isEqualTo("c1 \\u009b31m csi");
        assertThat(Output.safe("txt.\u202eexe")).as("a right-to-left override").isEqualTo("txt.\\u202eexe");
        assertThat(Output.safe("\u2066isolate\u2069 \u200fmark")).isEqualTo("\\u2066isolate\\u2069 \\u200fmark");
        assertThat(Output.safe("a written \\n stays one")).as("a backslash doubled: no text passes for an escape")
                .isEqualTo("a written \\\\n stays one");
        assertThat(Output.safe(null)).isNull();
        for (int c = 0; c < 0x20; c++) {
            assertThat(Output.safe(String.valueOf((char) c))).as("C0 %d", c).startsWith("\\");
        }
    }

    @Test
    void shouldEscapeTableCellsAndTheJsonItPrints() {
        StringWriter out = new StringWriter();
        Output table = new Output(new PrintWriter(out, true), new PrintWriter(new StringWriter()), false);
        table.table(List.of("NAME"), List.of(List.of("forged\nERROR: all data deleted"), List.of("\u001b[31mred")));
        assertThat(out.toString().lines().toList()).containsExactly("NAME", "forged\\nERROR: all data deleted", "\\u001b[31mred");

        StringWriter json = new StringWriter();
        new Output(new PrintWriter(json, true), new PrintWriter(new StringWriter()), true)
                .asJson(Map.of("name", "c1\u009b2J del\u007f rtl\u202e"));
        assertThat(json.toString()).containsIgnoringCase("c1\\u009b2J del\\u007f rtl\\u202e").doesNotContain("\u009b").doesNotContain("\u202e");
    }
}
