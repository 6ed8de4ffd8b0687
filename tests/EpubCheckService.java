// EPUBCheck for many books in one Java process, for the tests (tests/support.py starts it).
//
// Starting Java and loading EPUBCheck's schemas costs seconds of CPU per book, far more than the
// check itself; the test suite checks hundreds of books. This program runs EPUBCheck's own command
// (com.adobe.epubcheck.tool.EpubChecker, what `java -jar epubcheck.jar` runs) once per request, in
// one process: each line on standard input is "<book>\t<report.json>", and each answer on standard
// output is "done <exit status>" once the report is written, or "failed <reason>". What EPUBCheck
// itself prints goes nowhere; the JSON report is what the tests read, as with the command.
//
// Run with the jar on the class path, from source: java -cp epubcheck.jar EpubCheckService.java

import com.adobe.epubcheck.tool.EpubChecker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

public class EpubCheckService {
    public static void main(String[] args) throws Exception {
        PrintStream answers = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        System.setOut(nowhere);
        System.setErr(nowhere);
        BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = requests.readLine()) != null) {
            String[] request = line.split("\t", 2);
            if (request.length != 2) {
                answers.println("failed expected <book>\\t<report.json>");
                continue;
            }
            try {
                int status = new EpubChecker().run(new String[] {request[0], "--json", request[1]});
                answers.println("done " + status);
            } catch (Throwable problem) {
                answers.println("failed " + String.valueOf(problem).replace('\n', ' '));
            }
        }
    }
}
