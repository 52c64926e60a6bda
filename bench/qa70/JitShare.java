// qa70: per-slice JIT share of raw JFR slices (stacks through CompileBroker/C2Compiler/Compiler::compile), as
// docs/EVALUATION.md "A canary that keeps the JIT busy (qa70)" reports them. java -cp CP bench/qa70/JitShare.java DIR...
import io.canaryjudge.cli.Cli;
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;

public class JitShare {
    public static void main(String[] args) throws Exception {
        for (String dir : args) {
            Path d = Path.of(dir);
            List<Path> files = new ArrayList<>();
            try (var s = Files.list(d)) { s.filter(p -> p.toString().endsWith(".jfr")).forEach(files::add); }
            files.sort(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().replaceAll("\\D", ""))));
            StringBuilder line = new StringBuilder(d.getFileName().toString());
            for (Path f : files) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                Cli.run(new String[] {"collapse", f.toString(), "--profile-type", "cpu"}, new PrintStream(out, true), new PrintStream(OutputStream.nullOutputStream()));
                long total = 0, jit = 0;
                for (String l : out.toString(StandardCharsets.UTF_8).split("\n")) {
                    int sp = l.lastIndexOf(' ');
                    if (sp < 0) continue;
                    long v = Long.parseLong(l.substring(sp + 1).trim());
                    total += v;
                    if (l.contains("CompileBroker::") || l.contains("C2Compiler::") || l.contains("Compiler::compile")) jit += v;
                }
                line.append(String.format(Locale.ROOT, " %d:%.0f/%d", Integer.parseInt(f.getFileName().toString().replaceAll("\\D", "")), 100.0 * jit / Math.max(1, total), total / 4_000_000));
            }
            System.out.println(line);
        }
    }
}
