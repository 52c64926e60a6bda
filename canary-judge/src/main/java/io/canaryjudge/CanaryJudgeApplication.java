package io.canaryjudge;

import io.canaryjudge.cli.Cli;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * One jar, three commands: {@code serve} starts the judge service; {@code compare} and
 * {@code collapse} run the command line tool without starting Spring or a web server. Anything
 * else — no command, {@code --help}, a typo — prints usage and exits 64: a mistyped command in a
 * CI job must fail at once, never leave a server running.
 */
@SpringBootApplication
public class CanaryJudgeApplication {

    public static void main(String[] args) {
        if (Cli.isServe(args)) {
            SpringApplication.run(CanaryJudgeApplication.class, Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        System.exit(Cli.run(args, System.out, System.err));
    }
}
