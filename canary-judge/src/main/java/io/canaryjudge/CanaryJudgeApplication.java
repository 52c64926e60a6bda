package io.canaryjudge;

import io.canaryjudge.cli.Cli;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * One jar, two faces: {@code java -jar canary-judge.jar compare|collapse ...} runs the command
 * line tool without starting Spring or a web server; with no command it runs the judge service.
 */
@SpringBootApplication
public class CanaryJudgeApplication {

    public static void main(String[] args) {
        if (Cli.isCommand(args)) {
            System.exit(Cli.run(args, System.out, System.err));
        }
        SpringApplication.run(CanaryJudgeApplication.class, args);
    }
}
